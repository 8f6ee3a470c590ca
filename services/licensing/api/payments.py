"""Invoices and their payments under /api/licensing/invoices: one invoice with its lines and
payments (its account and staff), payments recorded by staff, open invoices by standing."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from services.licensing.adapters import tables as t
from services.licensing.context import LicensingContext
from services.licensing.domain import renewals as rn
from services.licensing.handlers import payments
from services.licensing.handlers.applications import require_right
from services.licensing.handlers.review import require_staff
from services.licensing.queries import InvoiceView, invoice_view
from shared.auth import Principal
from shared.errors import DomainError
from shared.web.paging import Page, Paging

STANDINGS = (rn.ISSUED, rn.PARTLY_PAID, rn.PAID, rn.CANCELLED, rn.OVERDUE)


class PaymentIn(BaseModel):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    paid_on: date | None = None  # default: today
    reference: str = Field(default="", max_length=100)


class PaymentView(BaseModel):
    amount: str
    paid_on: date
    reference: str


class InvoiceDetail(InvoiceView):
    lines: list[dict[str, str]]
    payments: list[PaymentView]
    renewed: list[str] = []  # licences the payment just recorded renewed


def build_router(ctx: LicensingContext) -> APIRouter:
    router = APIRouter(prefix="/api/licensing/invoices", tags=["licensing invoices"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    async def detail(number: str, renewed: list[str]) -> InvoiceDetail:
        async with ctx.uows() as uow:
            row = await payments.invoice_row(uow, number)
            paid = await payments.payments_of(uow, number)
        view = invoice_view(row, ctx.clock.today()).model_dump()
        return InvoiceDetail(**view, lines=[dict(x) for x in row.lines or []], renewed=renewed,
                             payments=[PaymentView(amount=f"{p.amount:.2f}", paid_on=p.paid_on,
                                                   reference=p.reference) for p in paid])

    @router.get("", response_model=Page[InvoiceView])
    async def listing(who: Caller, paging: Paging,
                      standing: Annotated[str | None, Query(max_length=20)] = None,
                      account_number: Annotated[str | None, Query(max_length=20)] = None,
                      ) -> Page[InvoiceView]:
        """Invoices by standing (staff): e.g. ``?standing=Overdue`` for the ones to chase."""
        require_staff(who)
        query = select(t.invoices)
        if account_number:
            query = query.where(t.invoices.c.account_number == account_number)
        query = _by_standing(query, standing, ctx.clock.today())
        async with ctx.uows() as uow:
            total = (await uow.session.execute(select(func.count()).select_from(
                query.subquery()))).scalar()
            rows = (await uow.session.execute(query.order_by(
                t.invoices.c.due_on, t.invoices.c.invoice_number).limit(paging.limit)
                .offset(paging.offset))).all()
        today = ctx.clock.today()
        return Page(items=[invoice_view(r, today) for r in rows], total=int(total or 0),
                    limit=paging.limit, offset=paging.offset)

    @router.get("/{number}", response_model=InvoiceDetail)
    async def invoice(number: str, who: Caller) -> InvoiceDetail:
        async with ctx.uows() as uow:
            row = await payments.invoice_row(uow, number[:20])
            await require_right(uow, who, row.account_number, "view")
        return await detail(row.invoice_number, [])

    @router.post("/{number}/payments", response_model=InvoiceDetail)
    async def pay(number: str, body: PaymentIn, who: Caller) -> InvoiceDetail:
        """Record a payment against the invoice (staff); paid in full, a renewal invoice
        renews the licences it names."""
        payment = payments.Payment(body.amount, body.paid_on or ctx.clock.today(),
                                   body.reference)
        async with ctx.uows() as uow:
            renewed = await payments.record_payment(uow, who, number[:20], payment)
            await uow.commit()
        return await detail(number[:20], renewed)

    return router


def _by_standing(query: Any, standing: str | None, today: date) -> Any:
    if standing is None:
        return query
    if standing not in STANDINGS:
        raise DomainError("INV-STANDING", "Choose a standing: " + ", ".join(STANDINGS) + ".",
                          field="standing")
    open_ = t.invoices.c.status.in_((rn.ISSUED, rn.PARTLY_PAID))
    if standing == rn.OVERDUE:
        return query.where(open_, t.invoices.c.due_on < today)
    if standing in (rn.ISSUED, rn.PARTLY_PAID):
        return query.where(t.invoices.c.status == standing, t.invoices.c.due_on >= today)
    return query.where(t.invoices.c.status == standing)
