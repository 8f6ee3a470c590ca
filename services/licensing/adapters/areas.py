"""Reads of the service-area hierarchy: the loaded set, or the shipped sample when none is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.licensing.adapters.registry_tables import service_areas
from services.licensing.domain.geography import AreaTree, ServiceArea
from services.licensing.domain.reference import sample_area_tree


async def area_tree(session: AsyncSession) -> AreaTree:
    """The hierarchy every rule works from (codes, names, tiers and parents; no polygons)."""
    rows = (await session.execute(select(service_areas.c.code, service_areas.c.name,
                                         service_areas.c.tier, service_areas.c.parent))).all()
    if not rows:
        return sample_area_tree()
    return AreaTree(ServiceArea(r.code, r.name, int(r.tier), r.parent) for r in rows)


async def loaded_count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(service_areas)))
               .scalar() or 0)


async def geometry(session: AsyncSession, code: str) -> Any:
    """The area's polygon (GeoJSON), when the loaded file gave one."""
    return (await session.execute(select(service_areas.c.geometry).where(
        service_areas.c.code == code))).scalar()
