"""Loading ISED's service-area set (``spectrum licensing load-service-areas FILE``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import structlog
from sqlalchemy import delete, insert, select

from services.licensing.adapters import tables as t
from services.licensing.adapters.registry_tables import service_areas
from services.licensing.adapters.service_area_files import LoadedArea
from services.licensing.domain.geography import problems, tier_of_code
from shared.errors import DomainError
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()
BATCH = 500


@dataclass(frozen=True)
class LoadReport:
    """What a load did: areas per tier, and codes licences name that the new set lacks."""

    by_tier: dict[int, int]
    polygons: int
    missing_codes: dict[str, list[str]] = field(default_factory=dict)  # code -> licences

    @property
    def total(self) -> int:
        return sum(self.by_tier.values())


async def replace_service_areas(uow: UnitOfWork, loaded: list[LoadedArea],
                                source: str) -> LoadReport:
    """Replace the whole set in one transaction; refuse a set that is not one hierarchy."""
    found = problems([x.area for x in loaded])
    if found:
        raise DomainError("GEO-FILE-INVALID", "The service-area file has problems: "
                          + "; ".join(found) + ".",
                          fix="Load ISED's complete set: every tier, each area with its parent.")
    now = uow.clock.now()
    await uow.session.execute(delete(service_areas))
    rows = [{"code": x.area.code, "name": x.area.name, "tier": x.area.tier,
             "parent": x.area.parent, "geometry": x.geometry, "source": source[:200],
             "loaded_at": now} for x in loaded]
    for start in range(0, len(rows), BATCH):
        await uow.session.execute(insert(service_areas), rows[start:start + BATCH])
    report = LoadReport(dict(sorted(Counter(x.area.tier for x in loaded).items())),
                        sum(1 for x in loaded if x.geometry),
                        await _missing(uow, {x.area.code for x in loaded}))
    log.info("service_areas.loaded", areas=report.total, source=source,
             missing=len(report.missing_codes))
    return report


async def _missing(uow: UnitOfWork, codes: set[str]) -> dict[str, list[str]]:
    """Tier codes named by licences in force that the new set does not have."""
    rows = await uow.session.execute(select(
        t.licences.c.licence_number, t.licences.c.service_area, t.licences.c.details).where(
        t.licences.c.status.in_(("Granted", "Suspended"))))
    missing: dict[str, list[str]] = {}
    for number, area, details in rows:
        named = [area, *dict(details or {}).get("excluded_areas", [])]
        for code in named:
            if tier_of_code(str(code)) and code not in codes:
                missing.setdefault(str(code), []).append(number)
    return missing
