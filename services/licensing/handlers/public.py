"""What licensing publishes to everyone, without sign-in: returned spectrum open to
expressions of interest (CPC-2-1-23 5.7: the blocks, the areas and the conditions that apply).
The former holder is not named: only the spectrum is announced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from services.licensing.adapters import tables as t
from services.licensing.domain.blocks import parse_block
from services.licensing.domain.conditions import ConditionTemplates
from services.licensing.domain.reference import service_areas


@dataclass(frozen=True)
class AvailableSpectrum:
    licence_number: str  # the returned licence, as the notice's reference
    frequency_blocks: list[str]
    service_area: str
    area_name: str
    band: str
    returned_on: str | None
    conditions: list[str]  # the band's standard conditions, in the language asked


def announced(row: Any, templates: ConditionTemplates, language: str) -> AvailableSpectrum:
    blocks = list(row.frequency_blocks or [])
    first = next((b for b in map(parse_block, blocks) if b), None)
    template = templates.template(first, language) if first else None
    return AvailableSpectrum(
        row.licence_number, blocks, row.service_area,
        service_areas().get(row.service_area, ""), template.band if template else "",
        dict(row.details or {}).get("returned_on"), list(template.texts) if template else [])


async def returned_spectrum(db: Any, templates: ConditionTemplates, language: str, limit: int,
                            offset: int) -> tuple[list[AvailableSpectrum], int]:
    """Returned spectrum published for expressions of interest, newest licence first."""
    query = select(t.licences.c.licence_number, t.licences.c.frequency_blocks,
                   t.licences.c.service_area, t.licences.c.details).where(
        t.licences.c.published_for_eoi.is_(True), t.licences.c.status == "Returned")
    total = (await db.execute(select(func.count()).select_from(query.subquery()))).scalar()
    rows = await db.execute(query.order_by(t.licences.c.licence_number.desc())
                            .limit(limit).offset(offset))
    return [announced(r, templates, language) for r in rows], int(total or 0)
