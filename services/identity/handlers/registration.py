"""Submitting a registration (every type of seed 000) and answering an officer's question."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import insert, select, update

from services.identity.adapters import tables as t
from services.identity.domain import registration as reg
from services.identity.domain.onetime import token_hash
from services.identity.handlers import audit
from services.identity.handlers.profiles import (
    NewProfile,
    check_password,
    create_profile,
    hashed,
    link_account,
)
from services.identity.handlers.secrets import AttemptLimit, verify_pair
from shared.errors import DomainError, NotFoundError
from shared.events.identity import RegistrationApprovedV1, RegistrationSubmittedV1
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger()
SECRET_FIELDS = ("password", "confirm_password", "shared_secret")


@dataclass(frozen=True)
class Submission:
    kind: str
    user: dict[str, Any]
    account_number: str | None = None
    shared_secret: str | None = None
    holder: dict[str, Any] | None = None
    letter_contact: dict[str, Any] | None = None
    attachments: list[str] = field(default_factory=list)  # claim tokens


@dataclass(frozen=True)
class Submitted:
    registration_id: str
    profile_id: str
    status: str
    account_number: str | None


def incomplete(problems: reg.Problems) -> DomainError:
    first = problems[0][0]
    text = " ".join(f"{name}: {message}" for name, message in problems)
    return DomainError("ID-REG-INCOMPLETE", "Some required information is missing or not "
                       "valid. " + text, field=first, status=422, fix=text)


def check(kind: reg.RegistrationType, sub: Submission) -> None:
    """Every page's rules at once (the API checks the whole flow on Submit)."""
    data = {"account_number": sub.account_number, "shared_secret": sub.shared_secret}
    problems = (reg.user_problems(kind, sub.user) + reg.account_problems(kind, data)
                + reg.holder_problems(kind, sub.holder)
                + reg.letter_problems(kind, sub.letter_contact)
                + reg.attachment_problems(kind, len(sub.attachments)))
    if problems:
        raise incomplete(problems)
    check_password(str(sub.user["password"]))


async def submit(uows: UnitOfWorkFactory, sub: Submission, limit: AttemptLimit,
                 client: str | None = None) -> Submitted:
    """``client``: the caller's address, the first thing wrong shared secrets count against."""
    kind = reg.registration_type(sub.kind)
    check(kind, sub)
    account = sub.account_number.strip() if sub.account_number else None
    if kind.by_secret and account:
        await verify_pair(uows, account, sub.shared_secret or "", limit, client=client)
    user = sub.user
    new = await hashed(NewProfile(
        str(user["username"]), str(user["password"]), str(user["email"]),
        str(user.get("language") or "en"), name=str(user.get("name") or ""),
        phone=str(user.get("phone") or "")))
    async with uows() as uow:
        if kind.picks_licensee and account:
            await _known_account(uow, account)
        profile_id = await create_profile(uow, new)
        registration_id = str(uow.ids.new())
        status = reg.APPROVED if kind.by_secret else reg.PENDING
        await uow.session.execute(insert(t.registrations).values(
            id=registration_id, profile_id=profile_id, kind=kind.kind, office=kind.office,
            status=status, account_number=account, details=json.dumps(_details(sub)),
            submitted_at=uow.clock.now(), decided_at=uow.clock.now() if kind.by_secret else None))
        await claim_attachments(uow, registration_id, sub.attachments)
        email, language = str(user["email"]), str(user.get("language") or "en")
        await uow.emit(RegistrationSubmittedV1(
            registration_id=registration_id, profile_id=profile_id, username=sub.user["username"],
            kind=kind.kind, email=email, language=language, needs_approval=kind.needs_approval,
            account_number=account, office=kind.office), subject=registration_id)
        if kind.by_secret and account:
            await link_account(uow, profile_id, account, kind.relation)
            await uow.emit(RegistrationApprovedV1(
                registration_id=registration_id, profile_id=profile_id, kind=kind.kind,
                email=email, language=language, account_number=account),
                subject=registration_id)
        await uow.commit()
    log.info("identity.registration_submitted", registration_id=registration_id, kind=kind.kind,
             status=status)
    return Submitted(registration_id, profile_id, status, account)


def _details(sub: Submission) -> dict[str, Any]:
    user = {k: v for k, v in sub.user.items() if k not in SECRET_FIELDS}
    return {"user": user, "holder": sub.holder, "letter_contact": sub.letter_contact}


async def _known_account(uow: UnitOfWork, account: str) -> None:
    found = await uow.session.execute(select(t.rm_accounts.c.account_number).where(
        t.rm_accounts.c.account_number == account))
    if found.first() is None:
        raise NotFoundError("ID-ACCOUNT-UNKNOWN", f"No client account {account}.",
                            field="account_number",
                            fix="Search the licensee by company name and pick its account.")


async def claim_attachments(uow: UnitOfWork, registration_id: str, claims: list[str]) -> None:
    for claim in claims:
        done = await uow.session.execute(update(t.attachments).where(
            t.attachments.c.claim_hash == token_hash(claim),
            t.attachments.c.registration_id.is_(None)).values(registration_id=registration_id))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise DomainError("ID-ATTACHMENT-UNKNOWN", "An attachment was not found or is "
                              "already used.", field="attachments", status=422,
                              fix="Add the file again with its description.")


@dataclass(frozen=True)
class Answer:
    text: str
    attachments: list[str] = field(default_factory=list)
    holder: dict[str, Any] | None = None
    letter_contact: dict[str, Any] | None = None


async def resubmit(uows: UnitOfWorkFactory, registration_id: str, profile_id: str,
                   answer: Answer) -> None:
    """The applicant answers the officer's question; the registration returns to the queue."""
    if not answer.text.strip():
        raise DomainError("ID-REG-ANSWER-MISSING", "Answer the officer's question.",
                          field="answer", status=422, fix="Write your answer.")
    async with uows() as uow:
        row = (await uow.session.execute(select(t.registrations).where(
            t.registrations.c.id == registration_id))).first()
        if row is None or row.profile_id != profile_id:
            raise NotFoundError("ID-REG-NOT-FOUND", "No such registration for this profile.")
        reg.can_resubmit(row.status)
        kind = reg.registration_type(row.kind)
        details = json.loads(row.details)
        details["holder"] = answer.holder or details.get("holder")
        details["letter_contact"] = answer.letter_contact or details.get("letter_contact")
        problems = (reg.holder_problems(kind, details["holder"])
                    + reg.letter_problems(kind, details["letter_contact"]))
        if problems:
            raise incomplete(problems)
        await claim_attachments(uow, registration_id, answer.attachments)
        await uow.session.execute(update(t.registrations).where(
            t.registrations.c.id == registration_id).values(
            status=reg.PENDING, answer=answer.text.strip(), details=json.dumps(details)))
        await audit.record(uow, profile_id, "registration.resubmitted", registration_id)
        await uow.commit()
