"""Invoices: prorated issuance fees and annual renewal invoices, delivered by event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import structlog
from sqlalchemy import insert, select

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox
from services.licensing.domain.dates import fiscal_year, prorated_fee
from services.licensing.domain.fees import FeeSchedule
from services.licensing.handlers.registry import next_value
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
                lines: list[tuple[str, Decimal]], year: int) -> str:
    """Record an invoice of ``lines`` (licence number, amount) and emit it for delivery."""
    account = await _account(uow, account_number)
    number = f"INV{await next_value(uow.session, 'invoice', 1):08d}"
    amount = sum((a for _, a in lines), Decimal("0"))
    today = uow.clock.today()
    due = today + timedelta(days=billing.fees.due_days)
    licences = [n for n, _ in lines]
    await uow.session.execute(insert(t.invoices).values(
        invoice_number=number, account_number=account_number, kind=kind, amount=amount,
        issued_on=today, due_on=due, status="Issued", fiscal_year=year,
        licence_numbers=licences, lines=[{"licence": n, "amount": str(a)} for n, a in lines]))
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


async def issue_issuance(uow: UnitOfWork, billing: Billing, account_number: str,
                         licences: list[tuple[str, str]], authorized_on: date) -> str | None:
    """The issuance invoice of newly authorized licences (number, fee key), prorated to
    31 March. No invoice when every fee is nil."""
    lines = [(n, prorated_fee(billing.fees.annual_fee(key), authorized_on)) for n, key in licences]
    if not any(a > 0 for _, a in lines):
        return None
    return await issue(uow, billing, account_number, "issuance", lines,
                       fiscal_year(authorized_on))


async def issue_renewals(uow: UnitOfWork, billing: Billing, year: int) -> list[str]:
    """Annual renewal invoices for fiscal year ``year``: one per account over its licences in
    force on 1 April that year, each licence at most once (running it twice issues nothing)."""
    first_day = date(year - 1, 4, 1)
    done = select(t.invoiced_licences.c.licence_number).where(
        t.invoiced_licences.c.fiscal_year == year)
    rows = (await uow.session.execute(select(t.licences).where(
        t.licences.c.status == "Granted", t.licences.c.expires_on >= first_day,
        t.licences.c.issued_on < first_day,
        t.licences.c.licence_number.not_in(done)).order_by(
        t.licences.c.account_number, t.licences.c.licence_number))).all()
    by_account: dict[str, list[tuple[str, Decimal]]] = {}
    for row in rows:
        amount = billing.fees.annual_fee(fee_key(row.kind, dict(row.details or {})))
        if amount > 0:
            by_account.setdefault(row.account_number, []).append((row.licence_number, amount))
    return [await issue(uow, billing, account, "renewal", lines, year)
            for account, lines in by_account.items()]
