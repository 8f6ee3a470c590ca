"""Payments recorded against invoices: paid, partly paid, overdue; a paid renewal invoice
renews the licences it names (RSP-101 section 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import insert, select, update

from services.licensing.adapters import tables as t
from services.licensing.adapters.registry_tables import invoice_payments
from services.licensing.domain import renewals as rn
from services.licensing.handlers.invoices import renew_paid_licence
from services.licensing.handlers.review import require_staff
from shared.auth import Principal
from shared.errors import ConflictError, DomainError, NotFoundError
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    paid_on: date
    reference: str = ""


async def invoice_row(uow: UnitOfWork, number: str) -> Any:
    row = (await uow.session.execute(select(t.invoices).where(
        t.invoices.c.invoice_number == number))).first()
    if row is None:
        raise NotFoundError("INV-NOT-FOUND", f"There is no invoice {number}.",
                            fix="Check the invoice number (INV and eight digits).")
    return row


async def payments_of(uow: UnitOfWork, number: str) -> list[Any]:
    rows = await uow.session.execute(select(invoice_payments).where(
        invoice_payments.c.invoice_number == number).order_by(
        invoice_payments.c.paid_on, invoice_payments.c.recorded_at))
    return list(rows)


async def record_payment(uow: UnitOfWork, who: Principal, number: str,
                         payment: Payment) -> list[str]:
    """Record a payment (ISED staff); returns the licences its settlement renewed."""
    require_staff(who)
    row = await invoice_row(uow, number)
    if row.status in (rn.PAID, rn.CANCELLED):
        raise ConflictError("INV-SETTLED", f"Invoice {number} is {row.status.lower()}.",
                            fix="Record the payment against an open invoice.")
    if payment.paid_on > uow.clock.today():
        raise DomainError("INV-PAID-ON", "The payment date cannot be in the future.",
                          field="paid_on")
    balance = Decimal(row.amount) - Decimal(row.amount_paid or 0)
    if payment.amount > balance:
        raise ConflictError("INV-OVERPAID", f"The balance of invoice {number} is "
                            f"{balance:.2f}; the payment is {payment.amount:.2f}.",
                            fix="Record at most the balance; refund the rest.")
    paid = Decimal(row.amount_paid or 0) + payment.amount
    status = rn.status_after_payment(Decimal(row.amount), paid)
    await uow.session.execute(insert(invoice_payments).values(
        id=str(uow.ids.new()), invoice_number=number, amount=payment.amount,
        paid_on=payment.paid_on, reference=payment.reference, recorded_by=who.profile_id,
        recorded_at=uow.clock.now()))
    await uow.session.execute(update(t.invoices).where(
        t.invoices.c.invoice_number == number).values(amount_paid=paid, status=status))
    log.info("invoice.payment_recorded", invoice=number, status=status)
    if status != rn.PAID:
        return []
    renewed = []
    for line in row.lines or []:
        if line.get("renews_to") and await renew_paid_licence(
                uow, str(line["licence"]), date.fromisoformat(line["renews_to"])):
            renewed.append(str(line["licence"]))
    return renewed
