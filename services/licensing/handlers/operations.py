"""Registry operations: return (5.7), suspend, revoke, amend with notice, renew (5.3)."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import select, update

from services.licensing.adapters import repository as repo
from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox, new_shared_secret, secret_hash
from services.licensing.domain.dates import renewal_expiry, subordinate_expiry
from services.licensing.handlers.applications import require_right
from services.licensing.handlers.registry import change_licence, licence_row, set_status
from services.licensing.handlers.review import require_staff
from shared.auth import Principal
from shared.errors import ConflictError, DomainError
from shared.events.licensing import (
    AccountContactsChangedV1,
    SecretNoticeIssuedV1,
    SecretReissuedV1,
)
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.runtime import BackgroundJob

log = structlog.get_logger()

STAFF_STATUSES = ("Suspended", "Revoked", "Granted")


async def subordinates(uow: UnitOfWork, primary: str) -> list[Any]:
    rows = await uow.session.execute(select(t.licences).where(
        t.licences.c.primary_licence == primary, t.licences.c.status.in_(("Granted", "Suspended"))))
    return list(rows)


def _reason(reason: str) -> str:
    if not reason.strip():
        raise DomainError("LIC-REASON", "Give the reason; it is sent to the holder as notice.",
                          field="reason")
    return reason.strip()


async def return_licence(uow: UnitOfWork, who: Principal, number: str, reason: str) -> None:
    """The licensee returns a licence; returned spectrum is published for expressions of
    interest, and its subordinate licences end with it."""
    row = await licence_row(uow.session, number)
    await require_right(uow, who, row.account_number, "submit")
    if row.status != "Granted":
        raise ConflictError("LIC-NOT-GRANTED", "Only a granted licence can be returned.")
    spectrum = row.kind == "spectrum" and not row.primary_licence
    await set_status(uow, number, "Returned", reason.strip(), published_for_eoi=spectrum)
    for sub in await subordinates(uow, number):
        await set_status(uow, sub.licence_number, "Cancelled",
                         f"Primary licence {number} was returned.")
    log.info("licence.returned", licence=number)


async def change_status(uow: UnitOfWork, who: Principal, number: str, status: str,
                        reason: str) -> None:
    """Suspend, revoke or reinstate with notice; subordinate licensees get the same notice
    (CPC-2-1-23 5.6.3 item 6) and follow the primary."""
    require_staff(who)
    reason = _reason(reason)
    if status not in STAFF_STATUSES:
        raise DomainError("LIC-STATUS", "Choose Suspended, Revoked or Granted (reinstate).",
                          field="status")
    row = await licence_row(uow.session, number)
    allowed = {"Suspended": ("Granted",), "Revoked": ("Granted", "Suspended"),
               "Granted": ("Suspended",)}[status]
    if row.status not in allowed:
        raise ConflictError("LIC-STATUS-MOVE", f"A licence that is {row.status} cannot become "
                            f"{status}.")
    await set_status(uow, number, status, reason)
    for sub in await subordinates(uow, number):
        if sub.status in allowed:
            await set_status(uow, sub.licence_number, status,
                             f"Primary licence {number}: {reason}")


async def amend_conditions(uow: UnitOfWork, who: Principal, number: str,
                           conditions: list[str], reason: str) -> None:
    require_staff(who)
    reason = _reason(reason)
    row = await licence_row(uow.session, number)
    if row.status not in ("Granted", "Suspended"):
        raise ConflictError("LIC-NOT-IN-FORCE", "Only a licence in force can be amended.")
    details = {**dict(row.details or {}), "amendment_notice": reason}
    await change_licence(uow, number, "amended", conditions=[c for c in conditions if c.strip()],
                         details=details)


async def renew(uow: UnitOfWork, who: Principal, number: str, years: int, *,
                conditions: list[str] | None = None, refuse_reason: str = "",
                with_subordinates: bool = True) -> list[str]:
    """A new term with new conditions, or a refusal (breach of a condition); subordinate
    licences are renewed jointly, never beyond the primary."""
    require_staff(who)
    row = await licence_row(uow.session, number)
    if row.status not in ("Granted", "Expired") or row.primary_licence:
        raise ConflictError("LIC-RENEW", "Only a granted or expired primary licence is renewed.")
    subs = await subordinates(uow, number)
    if refuse_reason.strip():
        await set_status(uow, number, "Expired", f"Not renewed: {refuse_reason.strip()}")
        for sub in subs:
            await set_status(uow, sub.licence_number, "Expired",
                             f"Primary licence {number} was not renewed.")
        return []
    expires = renewal_expiry(row.expires_on, years)
    await change_licence(uow, number, "renewed", status="Granted", expires_on=expires,
                         conditions=conditions if conditions is not None else list(row.conditions))
    renewed = [number]
    for sub in subs if with_subordinates else []:
        await change_licence(uow, sub.licence_number, "renewed",
                             expires_on=subordinate_expiry(expires, expires))
        renewed.append(sub.licence_number)
    return renewed


async def account_view(uow: UnitOfWork, who: Principal, account_number: str) -> Any:
    await require_right(uow, who, account_number, "view")
    return await repo.account_row(uow.session, account_number)


class ExpireLicences(BackgroundJob):
    """Licences past their expiry date become Expired (each with its event), daily."""

    name = "licensing.expiry"
    interval_s = 3600.0

    def __init__(self, uows: UnitOfWorkFactory):
        self.uows = uows

    async def run_once(self) -> None:
        async with self.uows() as uow:
            rows = await uow.session.execute(select(t.licences.c.licence_number).where(
                t.licences.c.status.in_(("Granted", "Suspended")),
                t.licences.c.expires_on < uow.clock.today()))
            numbers = [r[0] for r in rows]
            for number in numbers:
                await set_status(uow, number, "Expired", "The licence term ended.")
            await uow.commit()
        if numbers:
            log.info("licences.expired", count=len(numbers))


async def reissue_secret(uow: UnitOfWork, box: SecretBox, who: Principal,
                         account_number: str) -> None:
    """Staff re-issue an account's shared secret on request. Its hash goes to the services
    that check it; the secret itself only to the notice for the account's address of record
    (e-mail and letter); who did it and when is kept on the account."""
    require_staff(who)
    row = await repo.account_row(uow.session, account_number)
    secret, now = new_shared_secret(), uow.clock.now()
    await uow.session.execute(update(t.accounts).where(
        t.accounts.c.account_number == account_number).values(
        secret_encrypted=box.seal(secret), secret_issued_at=now,
        secret_issued_by=who.username))
    await uow.emit(SecretReissuedV1(account_number=account_number,
                                    secret_hash=secret_hash(secret), reissued_by=who.username),
                   subject=account_number)
    await uow.emit(SecretNoticeIssuedV1(
        account_number=account_number, legal_name=row.legal_name, email=row.email,
        language=row.language, city=row.city, province=row.province, issued_at=now,
        reissued_by=who.username, shared_secret=secret), subject=account_number)
    log.info("account.secret_reissued", account=account_number, by=who.username)


async def change_contacts(uow: UnitOfWork, who: Principal, account_number: str,
                          change: dict[str, Any]) -> None:
    """The account's e-mail, contacts, payment contact and delivery preferences."""
    await require_right(uow, who, account_number, "submit")
    for name in ("licence_delivery", "invoice_delivery"):
        if change.get(name, "E-mail") not in ("Mail", "E-mail"):
            raise DomainError("LIC-DELIVERY", "Choose Mail or E-mail.", field=name)
    if not change:
        return  # nothing sent, nothing changed, no event
    await uow.session.execute(update(t.accounts).where(
        t.accounts.c.account_number == account_number).values(**change))
    row = await repo.account_row(uow.session, account_number)
    await uow.emit(AccountContactsChangedV1(
        account_number=account_number, email=row.email, language=row.language,
        contacts=list(row.contacts or []), payment_email=row.payment_email,
        licence_delivery=row.licence_delivery, invoice_delivery=row.invoice_delivery),
        subject=account_number)
