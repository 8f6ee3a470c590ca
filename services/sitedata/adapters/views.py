"""Read queries behind the sitedata API and pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.sitedata.adapters import tables as t
from services.sitedata.domain.report import safe_csv
from services.sitedata.domain.validation import column_spec
from shared.db.engine import Reader
from shared.stationrows import decode_fields


async def list_uploads(session: Reader, profile_id: str | None, limit: int,
                       offset: int) -> tuple[list[Any], int]:
    """One page and the total in one query (the count rides along as a window); a second
    query counts only when the page is past the end."""
    where = [] if profile_id is None else [t.uploads.c.profile_id == profile_id]
    rows = list(await session.execute(
        select(t.uploads, func.count().over().label("total_uploads")).where(*where)
        .order_by(t.uploads.c.seq.desc()).limit(limit).offset(offset)))
    if rows:
        return rows, int(rows[0].total_uploads)
    if offset == 0:
        return rows, 0
    total = (await session.execute(select(func.count()).select_from(t.uploads).where(*where))
             ).scalar_one()
    return rows, int(total)


async def findings(session: AsyncSession, upload_id: str, severity: str, limit: int | None,
                   offset: int = 0) -> tuple[list[Any], int]:
    where = (t.findings.c.upload_id == upload_id, t.findings.c.severity == severity)
    total = (await session.execute(select(func.count()).select_from(t.findings).where(*where))
             ).scalar_one()
    query = select(t.findings).where(*where).order_by(t.findings.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(await session.execute(query)), int(total)


async def upload_stations(session: AsyncSession, upload_id: str, limit: int,
                          offset: int) -> tuple[list[dict[str, Any]], int]:
    where = t.stations.c.upload_id == upload_id
    total = (await session.execute(select(func.count()).select_from(t.stations).where(where))
             ).scalar_one()
    rows = await session.execute(select(t.stations).where(where)
                                 .order_by(t.stations.c.id).limit(limit).offset(offset))
    items = [{**row._mapping, "fields": decode_fields(row.fields)} for row in rows]
    return items, int(total)


async def stations_on_file(session: AsyncSession, licences: list[str]) -> dict[str, set[str]]:
    """Station keys (F, L, M) on file per licence, for the preview."""
    result: dict[str, set[str]] = {lic: set() for lic in licences}
    s, ls = t.stations, t.licence_stations
    rows = await session.execute(
        select(s.c.licence_number, s.c.location, s.c.latitude, s.c.longitude)
        .join(ls, (ls.c.upload_id == s.c.upload_id) & (ls.c.licence_number == s.c.licence_number))
        .where(ls.c.licence_number.in_(licences)))
    for row in rows:
        result[row.licence_number].add(station_key(row.location, row.latitude, row.longitude))
    return result


def station_key(location: str, latitude: float | None, longitude: float | None) -> str:
    return f"{location}|{latitude}|{longitude}"


async def upload_stations_csv(db: Any, upload_id: str) -> AsyncIterator[str]:
    """Every station row the upload sent, as the 54 columns of the file (CSV, cells that a
    spreadsheet would run as formulas neutralised), streamed."""
    result = await db.stream(select(t.stations.c.fields).where(t.stations.c.upload_id ==
                                                               upload_id).order_by(t.stations.c.id))
    header: list[str] | None = [column.name for column in column_spec()]
    batch: list[list[str]] = []
    async for row in result:
        batch.append(decode_fields(row.fields))
        if len(batch) >= 1000:
            yield "".join(safe_csv(header, batch))
            header, batch = None, []
    if batch or header:
        yield "".join(safe_csv(header, batch))
