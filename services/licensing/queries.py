"""Building the API's views of applications (shared by the applicant and staff routes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.licensing.adapters import repository as repo
from services.licensing.adapters import tables as t
from services.licensing.api import schemas as s
from services.licensing.domain.applications.framework import Issue
from services.licensing.handlers.applications import clock_of
from services.licensing.handlers.plugin import Families
from shared.messaging.uow import UnitOfWork


def summary(row: Any, now: datetime) -> s.ApplicationSummary:
    fields = {k: getattr(row, k) for k in s.ApplicationSummary.model_fields if k != "clock"}
    return s.ApplicationSummary(**fields, clock=clock_of(row).view(now))


async def full(uow: UnitOfWork, families: Families, row: Any, now: datetime,
               your_part: str | None) -> s.ApplicationView:
    family = families.get(row.family)
    draft = await repo.draft(uow.session, row.id)
    sections = [s.SectionView(key=x.key, title=x.title, party=x.party, data=draft.get(x.key, {}))
                for x in (family.spec.sections if family else ())]
    messages = await uow.session.execute(select(t.application_messages).where(
        t.application_messages.c.application_id == row.id).order_by(
        t.application_messages.c.at, t.application_messages.c.id))
    base = summary(row, now).model_dump()
    return s.ApplicationView(
        **base, decision=row.decision, reasons=row.reasons or "",
        licence_numbers=list(row.licence_numbers or []), checklist=dict(row.checklist or {}),
        review_items=list(family.spec.review_items(draft)) if family else [],
        outcome=dict(row.outcome or {}), your_part=your_part, sections=sections,
        messages=[s.MessageView(at=m.at, kind=m.kind, author=m.author, text=m.text)
                  for m in messages])


def by_section(families: Families, family_name: str, issues: list[Issue]) -> s.ValidationView:
    family = families.get(family_name)
    keys = family.spec.keys() if family else []
    grouped: dict[str, list[s.IssueView]] = {k: [] for k in keys}
    for issue in issues:
        grouped.setdefault(issue.section, []).append(s.IssueView(
            section=issue.section, field=issue.field, code=issue.code, message=issue.message))
    return s.ValidationView(valid=not issues, sections=grouped)
