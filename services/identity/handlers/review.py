"""The officers' queue: approve, reject, or ask for more information."""

from __future__ import annotations

import json
from typing import Any

import structlog
from sqlalchemy import select, update

from services.identity.adapters import tables as t
from services.identity.domain import registration as reg
from services.identity.handlers import audit
from services.identity.handlers.profiles import link_account
from shared.auth import Principal
from shared.errors import DomainError, ForbiddenError, NotFoundError
from shared.events.identity import (
    NewAccountDetails,
    RegistrationApprovedV1,
    RegistrationInfoRequestedV1,
    RegistrationRejectedV1,
)
from shared.events.licensing import AccountCreatedV1
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger()


def may_review(principal: Principal, office: str) -> None:
    if office not in reg.offices_for(principal.roles):
        raise ForbiddenError("ID-QUEUE-DENIED", "This registration belongs to another office's "
                             "queue.", fix="Ask an officer of that office or an administrator.")


async def _load(uow: UnitOfWork, registration_id: str) -> Any:
    row = (await uow.session.execute(select(t.registrations, t.profiles.c.email,
                                            t.profiles.c.language).join(
        t.profiles, t.profiles.c.id == t.registrations.c.profile_id).where(
        t.registrations.c.id == registration_id))).first()
    if row is None:
        raise NotFoundError("ID-REG-NOT-FOUND", "No such registration.")
    return row


def new_account_details(kind: reg.RegistrationType, details: dict[str, Any]) -> NewAccountDetails:
    holder: dict[str, Any] = details.get("holder") or {}
    address: dict[str, str] = {k: str(v) for k, v in (holder.get("mailing_address") or {}).items()}
    contact = holder.get("contact") or {}
    contacts = [{"role": "administrative", **{k: str(v) for k, v in contact.items()}}]
    payment = holder.get("payment_contact") if holder.get("invoices_elsewhere") else None
    if payment:
        contacts.append({"role": "payment", **{k: str(v) for k, v in payment.items()}})
    letter = details.get("letter_contact")
    if letter:
        contacts.append({"role": "letter", **{k: str(v) for k, v in letter.items()}})
    delivery = str(holder.get("delivery") or "E-mail")
    return NewAccountDetails(
        legal_name=str(holder.get("legal_name", "")), mailing_address=address,
        city=address.get("city", ""), province=address.get("province", ""),
        postal_code=address.get("postal_code", ""), country=address.get("country", "CA"),
        contacts=contacts, small_business=bool(holder.get("small_business")),
        licence_delivery=delivery, invoice_delivery=delivery,
        status_email=str(holder.get("status_email", "")),
        payment_email=str(payment["email"]) if payment and payment.get("email") else None,
        language=str(details.get("user", {}).get("language") or "en"),
        client_kind=kind.client_kind)


async def decide(uows: UnitOfWorkFactory, registration_id: str, principal: Principal,
                 decision: str, text: str = "") -> str:
    """``approve``, ``reject`` (with a reason) or ``request_info`` (with a question)."""
    if decision in ("reject", "request_info") and not text.strip():
        name = "reason" if decision == "reject" else "question"
        raise DomainError("ID-DECISION-TEXT", f"Give the {name}; the applicant reads it.",
                          field=name, status=422, fix=f"Write the {name}.")
    async with uows() as uow:
        row = await _load(uow, registration_id)
        may_review(principal, row.office)
        status = reg.decide(row.status, decision)
        kind = reg.registration_type(row.kind)
        if status == reg.APPROVED:
            status = await _approve(uow, row, kind, principal.profile_id)
        else:
            await _refuse_or_ask(uow, row, principal.profile_id, decision, text.strip())
        values: dict[str, Any] = {"status": status, "decided_by": principal.profile_id,
                                  "decided_at": uow.clock.now()}
        values["reason" if decision == "reject" else "question"] = text.strip() or None
        await uow.session.execute(update(t.registrations).where(
            t.registrations.c.id == registration_id).values(**values))
        await audit.record(uow, row.profile_id, f"registration.{decision}", registration_id)
        await uow.commit()
    log.info("identity.registration_decided", registration_id=registration_id,
             decision=decision, status=status)
    return status


async def _approve(uow: UnitOfWork, row: Any, kind: reg.RegistrationType, officer: str) -> str:
    new_account = None
    if kind.new_account:
        new_account = new_account_details(kind, json.loads(row.details))
    else:
        await link_account(uow, row.profile_id, row.account_number, kind.relation)
    await uow.emit(RegistrationApprovedV1(
        registration_id=row.id, profile_id=row.profile_id, kind=row.kind, email=row.email,
        language=row.language, account_number=None if new_account else row.account_number,
        new_account=new_account, decided_by=officer), subject=row.id)
    return reg.AWAITING_ACCOUNT if new_account else reg.APPROVED


async def _refuse_or_ask(uow: UnitOfWork, row: Any, officer: str, decision: str,
                         text: str) -> None:
    if decision == "reject":
        await uow.emit(RegistrationRejectedV1(
            registration_id=row.id, profile_id=row.profile_id, email=row.email,
            language=row.language, reason=text, decided_by=officer), subject=row.id)
    else:
        await uow.emit(RegistrationInfoRequestedV1(
            registration_id=row.id, profile_id=row.profile_id, email=row.email,
            language=row.language, question=text, decided_by=officer), subject=row.id)


async def on_account_created(uow: UnitOfWork, payload: Any, _: Any) -> None:
    """Licensing made the account an approval asked for: link the profile (once)."""
    assert isinstance(payload, AccountCreatedV1)
    if not payload.registration_id:
        return
    row = (await uow.session.execute(select(t.registrations).where(
        t.registrations.c.id == payload.registration_id))).first()
    if row is None or row.status != reg.AWAITING_ACCOUNT:
        return
    kind = reg.registration_type(row.kind)
    await link_account(uow, row.profile_id, payload.account_number, kind.relation)
    await uow.session.execute(update(t.registrations).where(
        t.registrations.c.id == row.id).values(status=reg.APPROVED,
                                               account_number=payload.account_number))
