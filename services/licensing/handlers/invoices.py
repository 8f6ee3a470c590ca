"""Invoices: prorated issuance fees and annual renewal invoices, delivered by event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import structlog
from sqlalchemy import and_, insert, or_, select

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox
from services.licensing.domain.dates import fiscal_year, fiscal_year_end, prorated_fee
from services.licensing.domain.fees import FeeSchedule
from services.licensing.domain.renewals import require_run_open
from services.licensing.handlers.registry import change_licence, licence_row, next_value
from shared.errors import NotFoundError
from shared.events.licensing import InvoiceIssuedV1
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()


@dataclass(frozen=True)
class Billing:
    """What issuing an invoice needs: the fee schedule and the box that opens shared secrets."""

    fees: FeeSchedule
    box: SecretBox


def fee_key(kind: str, details: dict[str, object]) -> str:
    return str(details.get("fee_key") or kind)


async def _account(uow: UnitOfWork, number: str) -> object:
    row = (await uow.session.execute(select(t.accounts).where(
        t.accounts.c.account_number == number))).first()
    if row is None:
        raise NotFoundError("LIC-ACCOUNT-NOT-FOUND", f"There is no client account {number}.")
    return row


async def issue(uow: UnitOfWork, billing: Billing, account_number: str, kind: str,
                lines: list[tuple[str, Decimal]], year: int,
                renews_to: dict[str, date] | None = None) -> str:
    """Record an invoice of ``lines`` (licence number, amount) and emit it for delivery.
    ``renews_to``: licences the invoice renews, to that day, once it is paid."""
    account = await _account(uow, account_number)
    number = f"INV{await next_value(uow.session, 'invoice', 1):08d}"
    amount = sum((a for _, a in lines), Decimal("0"))
    today = uow.clock.today()
    due = today + timedelta(days=billing.fees.due_days)
    licences = [n for n, _ in lines]
    await uow.session.execute(insert(t.invoices).values(
        invoice_number=number, account_number=account_number, kind=kind, amount=amount,
        issued_on=today, due_on=due, status="Issued", fiscal_year=year,
        licence_numbers=licences, amount_paid=Decimal("0"),
        lines=[_line(n, a, (renews_to or {}).get(n)) for n, a in lines]))
    for licence in licences:
        await uow.session.execute(insert(t.invoiced_licences).values(
            licence_number=licence, fiscal_year=year, kind=kind, invoice_number=number))
    await uow.emit(InvoiceIssuedV1(
        invoice_number=number, account_number=account_number,
        legal_name=account.legal_name, amount=f"{amount:.2f}", due_on=due,  # type: ignore[attr-defined]
        kind=kind, delivery=account.invoice_delivery, email=account.email,  # type: ignore[attr-defined]
        payment_email=account.payment_email, language=account.language,  # type: ignore[attr-defined]
        licence_numbers=licences,
        shared_secret=billing.box.open(account.secret_encrypted)),  # type: ignore[attr-defined]
        subject=account_number)
    log.info("invoice.issued", invoice=number, account=account_number, kind=kind)
    return number


def _line(licence: str, amount: Decimal, renews_to: date | None) -> dict[str, str]:
    line = {"licence": licence, "amount": str(amount)}
    return {**line, "renews_to": renews_to.isoformat()} if renews_to else line


async def issue_issuance(uow: UnitOfWork, billing: Billing, account_number: str,
                         licences: list[tuple[str, str]], authorized_on: date) -> str | None:
    """The issuance invoice of newly authorized licences (number, fee key), prorated to
    31 March. No invoice when every fee is nil."""
    lines = [(n, prorated_fee(billing.fees.annual_fee(key), authorized_on)) for n, key in licences]
    if not any(a > 0 for _, a in lines):
        return None
    return await issue(uow, billing, account_number, "issuance", lines,
                       fiscal_year(authorized_on))


async def issue_renewals(uow: UnitOfWork, billing: Billing, year: int, *,
                         by_invoice: tuple[str, ...] = ("radio",),
                         window_days: int = 180) -> list[str]:
    """Annual renewal invoices for fiscal year ``year``: one per account over its licences in
    force on 1 April that year, and over its licences of the ``by_invoice`` kinds whose term
    ends the 31 March before (each renews for the year when its invoice is paid; a nil fee
    renews it at once). Each licence at most once (running it twice issues nothing)."""
    require_run_open(year, uow.clock.today(), window_days)
    first_day = date(year - 1, 4, 1)
    ended = first_day - timedelta(days=1)
    done = select(t.invoiced_licences.c.licence_number).where(
        t.invoiced_licences.c.fiscal_year == year)
    in_force = and_(t.licences.c.status == "Granted", t.licences.c.expires_on >= first_day,
                    t.licences.c.issued_on < first_day)
    ending = and_(t.licences.c.kind.in_(by_invoice), t.licences.c.expires_on == ended,
                  t.licences.c.status.in_(("Granted", "Expired")),
                  t.licences.c.primary_licence.is_(None))
    rows = (await uow.session.execute(select(t.licences).where(
        or_(in_force, ending), t.licences.c.licence_number.not_in(done)).order_by(
        t.licences.c.account_number, t.licences.c.licence_number))).all()
    by_account: dict[str, list[tuple[str, Decimal]]] = {}
    renewing: dict[str, date] = {}
    for row in rows:
        details = dict(row.details or {})
        if row.expires_on == ended and row.kind in by_invoice:
            if "renewal_refused" in details:
                continue
            renewing[row.licence_number] = fiscal_year_end(first_day)
        amount = billing.fees.annual_fee(fee_key(row.kind, details))
        if amount > 0:
            by_account.setdefault(row.account_number, []).append((row.licence_number, amount))
        elif row.licence_number in renewing:
            await renew_paid_licence(uow, row.licence_number, renewing[row.licence_number])
    return [await issue(uow, billing, account, "renewal", lines, year,
                        {n: renewing[n] for n, _ in lines if n in renewing})
            for account, lines in by_account.items()]


async def renew_paid_licence(uow: UnitOfWork, number: str, renews_to: date) -> bool:
    """A licence renewed by invoice takes its new term when the invoice is paid (a lapsed
    one is reinstated); one since revoked, returned or refused renewal is left alone."""
    row = await licence_row(uow.session, number)
    details = dict(row.details or {})
    if row.status not in ("Granted", "Expired") or "renewal_refused" in details \
            or row.expires_on >= renews_to:
        log.info("licence.renewal_skipped", licence=number, status=row.status)
        return False
    await change_licence(uow, number, "renewed", status="Granted", status_reason="",
                         expires_on=renews_to)
    return True
