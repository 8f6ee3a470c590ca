"""Applications, staff side: assign, checklist, request information, decide."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import update

from services.licensing.adapters import repository as repo
from services.licensing.adapters import tables as t
from services.licensing.domain.applications import checklist as cl
from services.licensing.domain.applications import lifecycle as lc
from services.licensing.handlers.applications import add_message, check, clock_of, family_of
from services.licensing.handlers.invoices import Billing
from services.licensing.handlers.plugin import (
    Approval,
    ApprovalRequest,
    DecidedRequest,
    Decision,
    Families,
)
from shared.auth import Principal
from shared.errors import ConflictError, DomainError, ForbiddenError
from shared.events.licensing import ApplicationDecidedV1, ApplicationInfoRequestedV1
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()

COORDINATION_FAILED = ("Frequency coordination was not successful for the proposed "
                       "assignment. Please contact us to find an alternative solution.")


def require_staff(who: Principal) -> None:
    if not who.is_staff:
        raise ForbiddenError("APP-STAFF-ONLY", "Only ISED staff may do this.")


async def assign(uow: UnitOfWork, who: Principal, application_id: str, officer: str) -> None:
    require_staff(who)
    if len(officer) > 64:
        raise DomainError("APP-OFFICER", "That is not a web profile id.", field="officer")
    row = await repo.application_row(uow.session, application_id)
    lc.require_move(row.status, "assign")
    status = lc.IN_REVIEW if row.status == lc.SUBMITTED else row.status
    await uow.session.execute(update(t.applications).where(
        t.applications.c.id == application_id).values(assigned_to=officer or who.profile_id,
                                                        status=status))


async def set_checklist(uow: UnitOfWork, who: Principal, application_id: str,
                        items: dict[str, str]) -> None:
    """Record review steps (e.g. RSP-101 section 5). A failed frequency coordination is told
    to the applicant as an information request."""
    require_staff(who)
    items = cl.checked_entries(items)  # the defined steps, passed | failed | not_applicable
    row = await repo.application_row(uow.session, application_id)
    lc.require_move(row.status, "checklist")
    merged = {**dict(row.checklist or {}), **items}
    await uow.session.execute(update(t.applications).where(
        t.applications.c.id == application_id).values(checklist=merged))
    if items.get("frequency_coordination") == "failed" and row.status != lc.INFO_REQUESTED:
        await request_info(uow, who, application_id, COORDINATION_FAILED)


async def request_info(uow: UnitOfWork, who: Principal, application_id: str,
                       question: str) -> None:
    """Ask the applicant for information: the service-standard clock stops."""
    require_staff(who)
    if not question.strip():
        raise DomainError("APP-QUESTION-EMPTY", "Write the question.", field="question")
    row = await repo.application_row(uow.session, application_id)
    lc.require_move(row.status, "request_info")
    clock = clock_of(row).pause(uow.clock.now())
    await uow.session.execute(update(t.applications).where(
        t.applications.c.id == application_id).values(
        status=lc.INFO_REQUESTED, clock_paused_since=clock.paused_since))
    await add_message(uow, application_id, "question", who.profile_id, question)
    account = await repo.account_row(uow.session, row.account_number)
    await uow.emit(ApplicationInfoRequestedV1(
        application_id=row.id, number=row.number or "", family=row.family,
        account_number=row.account_number, profile_id=row.profile_id, email=account.email,
        language=account.language, question=question), subject=row.id)


async def decide(uow: UnitOfWork, families: Families, billing: Billing, settings: Any,
                 who: Principal, application_id: str, decision: Decision) -> Approval | None:
    """Approve (the family changes the registry) or deny with reasons; the clock stops."""
    require_staff(who)
    row = await repo.application_row(uow.session, application_id)
    lc.require_move(row.status, "decide")
    if not decision.approve and not decision.reasons.strip():
        raise DomainError("APP-REASONS", "Give the reasons for the denial.", field="reasons")
    family = family_of(families, row.family)
    draft = await repo.draft(uow.session, row.id)
    if decision.approve and decision.licence_numbers is not None:
        _require_named(decision.licence_numbers, family.spec.licences_named(draft))
    if decision.approve:
        cl.require_complete(family.spec.review_items(draft), dict(row.checklist or {}))
        if await check(uow, families, row):  # changed while information was requested
            raise ConflictError("APP-INVALID-NOW", "The application has errors now; it "
                                "cannot be approved as it stands.",
                                fix="Request the corrections, or deny it.")
        approval = await family.approve(ApprovalRequest(uow, repo.record(row), draft, decision,
                                                        billing, settings))
        status = lc.PARTIALLY_APPROVED if approval.partial else lc.APPROVED
    else:
        approval = None
        status = lc.DENIED
    outcome = approval.outcome if approval else family.on_denial(draft, uow.clock.today())
    await _record_decision(uow, row, status, decision, approval, outcome, who)
    if family.on_decided is not None:
        approved = list(decision.licence_numbers or []) if approval and approval.partial else (
            _named_in(family, draft) if approval else [])
        await family.on_decided(DecidedRequest(uow, repo.record(row), draft, decision, status,
                                               approved, settings))
    return approval


def _named_in(family: Any, draft: Any) -> list[str]:
    return sorted(family.spec.licences_named(draft))
def _require_named(chosen: tuple[str, ...], named: set[str]) -> None:
    """A partial approval names licences of the application: an unknown number is refused,
    never read as approving everything."""
    unknown = sorted(set(chosen) - named)
    listed = ", ".join(sorted(named)) or "none"
    if unknown or not chosen:
        raise DomainError("APP-APPROVE-UNKNOWN", ("Not named in this application: "
                          + ", ".join(unknown) + ".") if unknown else "No licence is chosen.",
                          field="licence_numbers", fix=f"Choose among the licences it names "
                          f"({listed}), or leave the list out to approve all of it.")


async def _record_decision(uow: UnitOfWork, row: Any, status: str, decision: Decision,
                           approval: Approval | None, outcome: dict[str, Any],
                           who: Principal) -> None:
    now = uow.clock.now()
    clock = clock_of(row).stop(now)
    numbers = approval.licence_numbers if approval else []
    await uow.session.execute(update(t.applications).where(t.applications.c.id == row.id).values(
        status=status, decision=status, reasons=decision.reasons, decided_at=now,
        clock_stopped_at=now, clock_paused_since=None,
        clock_paused_seconds=int(clock.paused_seconds), licence_numbers=numbers,
        outcome=outcome))
    await add_message(uow, row.id, "decision", who.profile_id,
                      f"{status}. {decision.reasons}".strip())
    account = await repo.account_row(uow.session, row.account_number)
    word = {lc.APPROVED: "approved", lc.PARTIALLY_APPROVED: "partially_approved"}.get(
        status, "denied")
    await uow.emit(ApplicationDecidedV1(
        application_id=row.id, number=row.number or "", family=row.family,
        account_number=row.account_number, profile_id=row.profile_id, email=account.email,
        language=account.language, decision=word, reasons=decision.reasons, decided_at=now,
        licence_numbers=numbers, submitted_at=row.submitted_at), subject=row.id)
    log.info("application.decided", application=row.id, decision=word)
