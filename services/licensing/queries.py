"""What the licensing API and pages both show: an application (summary, sections, messages,
validation by section) and an invoice with its standing. ``api/`` serves them as JSON, ``web/``
renders them; neither imports the other."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from services.licensing.adapters import repository as repo
from services.licensing.adapters import tables as t
from services.licensing.domain.applications.framework import Issue
from services.licensing.domain.renewals import standing
from services.licensing.handlers.applications import clock_of
from services.licensing.handlers.plugin import Families
from shared.messaging.uow import UnitOfWork


class IssueView(BaseModel):
    section: str
    field: str
    code: str
    message: str


class ValidationView(BaseModel):
    valid: bool
    sections: dict[str, list[IssueView]]


class SectionView(BaseModel):
    key: str
    title: str
    party: str
    data: dict[str, Any]


class MessageView(BaseModel):
    at: datetime
    kind: str
    author: str
    text: str


class ApplicationSummary(BaseModel):
    id: str
    number: str | None
    family: str
    status: str
    account_number: str
    other_account_number: str | None
    office: str
    channel: str
    assigned_to: str | None
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    clock: dict[str, Any]


class ApplicationView(ApplicationSummary):
    decision: str | None
    reasons: str
    licence_numbers: list[str]
    checklist: dict[str, str]
    review_items: list[str] = []  # the checklist steps this application needs before approval
    outcome: dict[str, Any]
    your_part: str | None
    sections: list[SectionView]
    messages: list[MessageView]


class InvoiceView(BaseModel):
    invoice_number: str
    account_number: str
    kind: str
    amount: str
    issued_on: date
    due_on: date
    status: str
    fiscal_year: int
    licence_numbers: list[str]
    amount_paid: str = "0.00"
    balance: str = "0.00"
    standing: str = ""  # Issued | Partly paid | Paid | Cancelled | Overdue (open, past due)


def summary(row: Any, now: datetime) -> ApplicationSummary:
    fields = {k: getattr(row, k) for k in ApplicationSummary.model_fields if k != "clock"}
    return ApplicationSummary(**fields, clock=clock_of(row).view(now))


async def full(uow: UnitOfWork, families: Families, row: Any, now: datetime,
               your_part: str | None) -> ApplicationView:
    family = families.get(row.family)
    draft = await repo.draft(uow.session, row.id)
    sections = [SectionView(key=x.key, title=x.title, party=x.party, data=draft.get(x.key, {}))
                for x in (family.spec.sections if family else ())]
    messages = await uow.session.execute(select(t.application_messages).where(
        t.application_messages.c.application_id == row.id).order_by(
        t.application_messages.c.at, t.application_messages.c.id))
    base = summary(row, now).model_dump()
    return ApplicationView(
        **base, decision=row.decision, reasons=row.reasons or "",
        licence_numbers=list(row.licence_numbers or []), checklist=dict(row.checklist or {}),
        review_items=list(family.spec.review_items(draft)) if family else [],
        outcome=dict(row.outcome or {}), your_part=your_part, sections=sections,
        messages=[MessageView(at=m.at, kind=m.kind, author=m.author, text=m.text)
                  for m in messages])


def by_section(families: Families, family_name: str, issues: list[Issue]) -> ValidationView:
    family = families.get(family_name)
    keys = family.spec.keys() if family else []
    grouped: dict[str, list[IssueView]] = {k: [] for k in keys}
    for issue in issues:
        grouped.setdefault(issue.section, []).append(IssueView(
            section=issue.section, field=issue.field, code=issue.code, message=issue.message))
    return ValidationView(valid=not issues, sections=grouped)


def invoice_view(row: Any, today: date) -> InvoiceView:
    paid = Decimal(row.amount_paid or 0)
    return InvoiceView.model_validate({
        **dict(row._mapping), "amount": f"{row.amount:.2f}", "amount_paid": f"{paid:.2f}",
        "balance": f"{Decimal(row.amount) - paid:.2f}",
        "standing": standing(row.status, row.due_on, today)})


def affiliates(accounts: str) -> list[str]:
    """The account numbers of a comma-separated list (at most 20)."""
    return [a.strip() for a in accounts.split(",") if a.strip()][:20]
