"""The dashboard's stored days: one row per day, written by the process that folds uploads
(the embedded consumer, or the faust worker on the real stack) and read by the API."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reports.adapters import tables as t
from services.reports.domain.dashboard import DayFigures
from shared.db.upsert import upsert


def _figures(row: Any) -> DayFigures:
    return DayFigures(row.day, json.loads(row.counts), json.loads(row.seconds),
                      json.loads(row.error_codes))


async def load_days(session: AsyncSession, since: date | None) -> list[DayFigures]:
    days = t.dashboard_days
    statement = select(days).order_by(days.c.day)
    if since is not None:
        statement = statement.where(days.c.day >= since.isoformat())
    return [_figures(row) for row in await session.execute(statement)]


async def load_day_for_update(session: AsyncSession, day: str) -> DayFigures:
    """The stored day, locked until the transaction ends (PostgreSQL: two consumers folding
    uploads of one day take turns instead of losing one another's update)."""
    await upsert(session, t.dashboard_days, {"day": day, "counts": "{}", "seconds": "[]",
                                             "error_codes": "{}"}, ("day",), update=False)
    row = (await session.execute(select(t.dashboard_days).where(
        t.dashboard_days.c.day == day).with_for_update())).one()
    return _figures(row)


async def save_day(session: AsyncSession, figures: DayFigures) -> None:
    """Write the whole day (idempotent: writing the same figures twice changes nothing)."""
    await upsert(session, t.dashboard_days, {
        "day": figures.day, "counts": json.dumps(figures.counts, sort_keys=True),
        "seconds": json.dumps(figures.seconds),
        "error_codes": json.dumps(figures.error_codes, sort_keys=True)}, ("day",))
