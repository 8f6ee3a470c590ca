"""Registry operations: return (5.7), suspend, revoke, amend with notice, renew (5.3)."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import select, update

from services.licensing.adapters import repository as repo
from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox, new_shared_secret, secret_hash
from services.licensing.domain import renewals as rn
from services.licensing.domain.dates import renewal_expiry
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
    await uow.session.execute(update(t.licences).where(t.licences.c.licence_number == number)
                              .values(details={**dict(row.details or {}),
                                               "returned_on": uow.clock.today().isoformat()}))
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
                window_days: int = 180, by_invoice: tuple[str, ...] = ("radio",)) -> list[str]:
    """A new term with new conditions at the end of the term (5.3), or a refusal: the
    licence then lapses at the end of its term, not at once. Subordinate licences are not
    extended: each is renewed only by a joint request of both parties (5.6.3 xiv)."""
    require_staff(who)
    row = await licence_row(uow.session, number)
    if row.status not in ("Granted", "Expired") or row.primary_licence:
        raise ConflictError("LIC-RENEW", "Only a granted or expired primary licence is renewed.",
                            fix="A subordinate licence is renewed by a joint application of "
                            "both licensees.")
    if refuse_reason.strip():
        await _refuse(uow, row, refuse_reason.strip())
        return []
    rn.require_renewable(number, row.expires_on, uow.clock.today(), window_days)
    years = 1 if row.kind in by_invoice else years  # renewed yearly (RSP-101 section 4)
    details = {k: v for k, v in dict(row.details or {}).items() if k != "renewal_refused"}
    await change_licence(uow, number, "renewed", status="Granted", status_reason="",
                         expires_on=renewal_expiry(row.expires_on, years), details=details,
                         conditions=conditions if conditions is not None else list(row.conditions))
    return [number]


async def _refuse(uow: UnitOfWork, row: Any, reason: str) -> None:
    """Record the refusal with its notice; the holder and every subordinate licensee are told
    (5.6.3 vi), and the expiry job ends the licences when their terms end."""
    if row.status != "Granted":
        raise ConflictError("LIC-NOT-IN-FORCE", "Only a licence in force can be refused "
                            "renewal.")
    refused = {"reason": reason, "on": uow.clock.today().isoformat()}
    await change_licence(uow, row.licence_number, "renewal_refused",
                         status_reason=rn.lapse_notice(reason, row.expires_on),
                         details={**dict(row.details or {}), "renewal_refused": refused})
    for sub in await subordinates(uow, row.licence_number):
        ends = min(sub.expires_on, row.expires_on)
        await change_licence(uow, sub.licence_number, "renewal_refused", expires_on=ends,
                             status_reason=f"Primary licence {row.licence_number} will not be "
                             f"renewed: this licence lapses with it on {ends.isoformat()}.")
    log.info("licence.renewal_refused", licence=row.licence_number)


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
            rows = await uow.session.execute(select(
                t.licences.c.licence_number, t.licences.c.details).where(
                t.licences.c.status.in_(("Granted", "Suspended")),
                t.licences.c.expires_on < uow.clock.today()))
            found = [(number, dict(details or {})) for number, details in rows]
            for number, details in found:
                refused = details.get("renewal_refused")
                await set_status(uow, number, "Expired", f"Not renewed: {refused['reason']}"
                                 if refused else "The licence term ended.")
            numbers = [number for number, _ in found]
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
