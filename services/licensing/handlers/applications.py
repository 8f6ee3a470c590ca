"""Applications, applicant side: create, save a section, validate, submit, answer, withdraw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import insert, update

from services.licensing.adapters import repository as repo
from services.licensing.adapters import tables as t
from services.licensing.adapters.areas import area_tree
from services.licensing.domain.applications import lifecycle as lc
from services.licensing.domain.applications.framework import (
    APPLICANT,
    OTHER,
    Context,
    Issue,
    validate,
)
from services.licensing.handlers.plugin import Families, Family
from services.licensing.handlers.registry import next_value
from shared.auth import Principal
from shared.db.upsert import upsert
from shared.errors import DomainError, ForbiddenError, NotFoundError
from shared.events.licensing import ApplicationSubmittedV1
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()

CHANNELS = ("online", "email", "paper", "fax")


@dataclass(frozen=True)
class NewApplication:
    family: str
    account_number: str | None  # None: the account the applicant acts for
    channel: str = "online"


def family_of(families: Families, name: str) -> Family:
    family = families.get(name)
    if family is None:
        raise NotFoundError("APP-FAMILY", f"There is no application type {name!r}.",
                            fix="Use one of: " + ", ".join(families.names()) + ".")
    return family


async def require_right(uow: UnitOfWork, who: Principal, account: str | None, right: str) -> None:
    if who.is_staff:
        return
    if right not in await repo.rights(uow.session, who.profile_id, account):
        raise ForbiddenError("APP-NO-RIGHT", f"This web profile may not {right} applications "
                             f"for account {account}.",
                             fix="Ask the account's owner to give you the right.")


async def party_of(uow: UnitOfWork, who: Principal, row: Any) -> str | None:
    """Which side of the application ``who`` stands on (None: not a party; staff: applicant)."""
    if who.is_staff:
        return APPLICANT
    if await repo.rights(uow.session, who.profile_id, row.account_number):
        return APPLICANT
    if row.other_account_number and await repo.rights(uow.session, who.profile_id,
                                                      row.other_account_number):
        return OTHER
    return None


async def visible(uow: UnitOfWork, who: Principal, application_id: str) -> Any:
    """The application, if ``who`` may see it (confidential: parties and staff only)."""
    row = await repo.application_row(uow.session, application_id)
    if await party_of(uow, who, row) is None:
        raise NotFoundError("APP-NOT-FOUND", "There is no such application for this web profile.")
    return row


async def acting_for(uow: UnitOfWork, who: Principal) -> str:
    """The account an application names when none is given: the one the profile chose to act
    for (``PUT /api/identity/me/active-account``), else its only account."""
    active = None if who.is_staff else await repo.active_account(uow.session, who.profile_id)
    if active:
        return active
    linked = [] if who.is_staff else await repo.linked_accounts(uow.session, who.profile_id)
    if len(linked) == 1:
        return linked[0]
    raise DomainError("APP-ACCOUNT-REQUIRED", "Say which account the application is for.",
                      field="account_number",
                      fix="Give 'account_number', or choose the account this web profile acts "
                          "for (PUT /api/identity/me/active-account).")


async def create(uow: UnitOfWork, families: Families, standards: dict[str, int], who: Principal,
                 new: NewApplication) -> str:
    family = family_of(families, new.family)
    if new.channel not in CHANNELS or (new.channel != "online" and not who.is_staff):
        raise DomainError("APP-CHANNEL", "Only ISED staff enter applications received by "
                          "e-mail, paper or fax.", field="channel")
    number = new.account_number or await acting_for(uow, who)
    account = await repo.account_row(uow.session, number)
    await require_right(uow, who, number, "prepare")
    application_id = str(uow.ids.new())
    await uow.session.execute(insert(t.applications).values(
        id=application_id, family=family.spec.name, status=lc.DRAFT,
        account_number=number, profile_id=who.profile_id,
        office=account.office or family.spec.office,
        channel=new.channel, entered_by=who.profile_id if who.is_staff else None,
        created_at=uow.clock.now(), standard_days=standards.get(family.spec.name, 60),
        clock_paused_seconds=0, checklist={}, outcome={}, licence_numbers=[]))
    for section, data in family.spec.prefill(repo.account_fact(account)).items():
        await _store_section(uow, application_id, section, dict(data), who.profile_id)
    return application_id


async def save_section(uow: UnitOfWork, families: Families, who: Principal,
                       application_id: str, section: str, data: dict[str, Any]) -> None:
    row = await visible(uow, who, application_id)
    if row.status != lc.INFO_REQUESTED:
        lc.require_move(row.status, "save")
    family = family_of(families, row.family)
    spec_section = family.spec.section(section)
    if spec_section is None:
        raise NotFoundError("APP-SECTION", f"This application has no section {section!r}.",
                            fix="Use one of: " + ", ".join(family.spec.keys()) + ".")
    party = await party_of(uow, who, row)
    if not who.is_staff and spec_section.party != party:
        raise ForbiddenError("APP-OTHER-PARTY", "This section is completed by the other party "
                             "of the joint application, from its own web profile.")
    account = row.account_number if party == APPLICANT else row.other_account_number
    await require_right(uow, who, account, "prepare")
    party = spec_section.party
    await _store_section(uow, application_id, section, data, who.profile_id)
    if party == APPLICANT and family.spec.joint:
        other = family.spec.other_account(await repo.draft(uow.session, application_id))
        if other is not None and len(other) > 20:  # never an account number: checks say so
            other = None
        await uow.session.execute(update(t.applications).where(
            t.applications.c.id == application_id).values(other_account_number=other))
    if party == OTHER and not who.is_staff:
        await uow.session.execute(update(t.applications).where(
            t.applications.c.id == application_id).values(other_profile_id=who.profile_id))


async def _store_section(uow: UnitOfWork, application_id: str, section: str,
                         data: dict[str, Any], by: str) -> None:
    await upsert(uow.session, t.application_sections, {
        "application_id": application_id, "section": section, "data": data,
        "saved_at": uow.clock.now(), "saved_by": by}, ("application_id", "section"))


async def check(uow: UnitOfWork, families: Families, row: Any,
                party: str | None = None) -> list[Issue]:
    family = family_of(families, row.family)
    draft = await repo.draft(uow.session, row.id)
    ctx = Context(today=uow.clock.today(), account_number=row.account_number,
                  other_account_number=row.other_account_number,
                  licences=await repo.licence_facts(uow.session,
                                                    family.spec.licences_named(draft)),
                  draft=draft, areas=await area_tree(uow.session),
                  extra=await family.facts(uow, draft) if family.facts else {},
                  documents=await repo.document_facts(uow.session, row.id))
    issues = validate(family.spec, draft, ctx, party)
    other = row.other_account_number
    if family.spec.joint and party is None and other and not await repo.account_exists(
            uow.session, other):
        issues.append(Issue(family.spec.keys(APPLICANT)[0], "", "APP-OTHER-ACCOUNT",
                            f"There is no client account {other} for the other party."))
    return issues


async def submit(uow: UnitOfWork, families: Families, who: Principal,
                 application_id: str) -> str:
    row = await visible(uow, who, application_id)
    lc.require_move(row.status, "submit")
    if await party_of(uow, who, row) != APPLICANT:
        raise ForbiddenError("APP-SUBMIT-PARTY", "The applicant submits a joint application.")
    await require_right(uow, who, row.account_number, "submit")
    issues = await check(uow, families, row)
    if issues:
        raise DomainError("APP-INVALID", f"The application has {len(issues)} error(s).",
                          fix="Run Validate and correct the errors listed per section.")
    number = f"A{row.family[:2].upper()}{await next_value(uow.session, 'application', 1):07d}"
    now = uow.clock.now()
    await uow.session.execute(update(t.applications).where(
        t.applications.c.id == application_id).values(
        number=number, status=lc.SUBMITTED, submitted_at=now, clock_started_at=now))
    account = await repo.account_row(uow.session, row.account_number)
    await uow.emit(ApplicationSubmittedV1(
        application_id=application_id, number=number, family=row.family,
        account_number=row.account_number, profile_id=row.profile_id, email=account.email,
        language=account.language, submitted_at=now, service_standard_days=row.standard_days,
        office=row.office), subject=application_id)
    log.info("application.submitted", application=application_id, number=number)
    return number


async def answer(uow: UnitOfWork, who: Principal, application_id: str, text: str) -> None:
    """The applicant answers an information request: the clock restarts."""
    row = await visible(uow, who, application_id)
    lc.require_move(row.status, "answer")
    if not text.strip():
        raise DomainError("APP-ANSWER-EMPTY", "Write the answer.", field="text")
    now = uow.clock.now()
    clock = clock_of(row).resume(now)
    await uow.session.execute(update(t.applications).where(
        t.applications.c.id == application_id).values(
        status=lc.IN_REVIEW if row.assigned_to else lc.SUBMITTED, clock_paused_since=None,
        clock_paused_seconds=int(clock.paused_seconds)))
    await add_message(uow, application_id, "answer", who.profile_id, text)


async def withdraw(uow: UnitOfWork, who: Principal, application_id: str) -> None:
    row = await visible(uow, who, application_id)
    lc.require_move(row.status, "withdraw")
    if await party_of(uow, who, row) != APPLICANT:
        raise ForbiddenError("APP-WITHDRAW-PARTY", "Only the applicant withdraws.")
    clock = clock_of(row).stop(uow.clock.now())
    await uow.session.execute(update(t.applications).where(
        t.applications.c.id == application_id).values(
        status=lc.WITHDRAWN, clock_stopped_at=clock.stopped_at, clock_paused_since=None,
        clock_paused_seconds=int(clock.paused_seconds)))


async def add_message(uow: UnitOfWork, application_id: str, kind: str, author: str,
                      text: str) -> None:
    await uow.session.execute(insert(t.application_messages).values(
        id=str(uow.ids.new()), application_id=application_id, at=uow.clock.now(), kind=kind,
        author=author, text=text))


def clock_of(row: Any) -> lc.ServiceClock:
    return lc.ServiceClock(row.standard_days, row.clock_started_at, row.clock_paused_since,
                           float(row.clock_paused_seconds or 0), row.clock_stopped_at)
