"""Read queries over the reports read models (the API and the pages share them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reports.adapters import tables as t
from services.reports.domain.search import StationQuery, distance_km

STATION_COLUMNS = (t.stations.c.id, t.stations.c.licence_number, t.licences.c.licensee_name,
                   t.stations.c.location, t.stations.c.province, t.stations.c.latitude,
                   t.stations.c.longitude, t.stations.c.technology, t.stations.c.tx_frequency,
                   t.stations.c.rx_frequency, t.stations.c.line, t.stations.c.fields,
                   t.filings.c.last_upload_at)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _band(q: StationQuery) -> ColumnElement[bool] | None:
    if q.freq_min is None and q.freq_max is None:
        return None
    sides = []
    for column in (t.stations.c.tx_frequency, t.stations.c.rx_frequency):
        parts: list[ColumnElement[bool]] = [column.is_not(None)]
        if q.freq_min is not None:
            parts.append(column >= q.freq_min)
        if q.freq_max is not None:
            parts.append(column <= q.freq_max)
        sides.append(and_(*parts))
    return or_(*sides)


def _filters(q: StationQuery) -> list[ColumnElement[bool]]:
    s, lic = t.stations.c, t.licences.c
    where: list[ColumnElement[bool]] = []
    if q.licence:
        where.append(s.licence_number == q.licence.strip())
    if q.licensee:
        where.append(lic.licensee_name.ilike(_like(q.licensee.strip()), escape="\\"))
    if q.location:
        where.append(s.location.ilike(_like(q.location.strip()), escape="\\"))
    if q.province:
        where.append(s.province == q.province.strip().upper())
    if q.technology:
        where.append(s.technology == q.technology.strip().upper())
    band = _band(q)
    if band is not None:
        where.append(band)
    if q.near is not None:
        lat_min, lat_max, lon_min, lon_max = q.near.box()
        where += [s.latitude.between(lat_min, lat_max), s.longitude.between(lon_min, lon_max)]
    return where


def _sourced(valid: ColumnElement[bool]) -> Any:
    """Station rows joined to the sources that were on file under ``valid``."""
    ss, s = t.station_sources, t.stations
    return s.join(ss, and_(ss.c.source == s.c.upload_id, ss.c.licence_number == s.c.licence_number,
                           valid))


def _station_select(q: StationQuery) -> Select[Any]:
    joined = _sourced(t.station_sources.c.valid_to.is_(None)).outerjoin(
        t.licences, t.licences.c.licence_number ==
                                  t.stations.c.licence_number).outerjoin(
        t.filings, t.filings.c.licence_number == t.stations.c.licence_number)
    return select(*STATION_COLUMNS).select_from(joined).where(*_filters(q))


async def search_stations(session: AsyncSession, q: StationQuery, limit: int | None,
                          offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Current stations matching ``q``; nearest first for a distance search."""
    statement = _station_select(q)
    if q.near is None:
        total = (await session.execute(select(func.count()).select_from(
            statement.subquery()))).scalar_one()
        ordered = statement.order_by(t.stations.c.licence_number, t.stations.c.line,
                                     t.stations.c.id).offset(offset)
        if limit is not None:
            ordered = ordered.limit(limit)
        return [dict(r._mapping) for r in await session.execute(ordered)], int(total)
    near = q.near
    found = []
    for row in await session.execute(statement):
        item = dict(row._mapping)
        if near.contains(item["latitude"], item["longitude"]):
            item["distance_km"] = round(distance_km(near.latitude, near.longitude,
                                                    item["latitude"], item["longitude"]), 3)
            found.append(item)
    found.sort(key=lambda i: (i["distance_km"], i["licence_number"], i["line"], i["id"]))
    end = None if limit is None else offset + limit
    return found[offset:end], len(found)


async def public_licences(session: AsyncSession, name: str | None, limit: int, offset: int
                          ) -> tuple[list[Any], int]:
    lic = t.licences
    statement = select(lic.c.licence_number, lic.c.licensee_name, lic.c.kind, lic.c.status,
                       lic.c.service, lic.c.service_area, lic.c.issued_on, lic.c.expires_on,
                       t.filings.c.last_upload_at, t.station_sets.c.station_count).select_from(
        lic.outerjoin(t.filings, t.filings.c.licence_number == lic.c.licence_number)
        .outerjoin(t.station_sets, t.station_sets.c.licence_number == lic.c.licence_number))
    if name:
        statement = statement.where(lic.c.licensee_name.ilike(_like(name.strip()), escape="\\"))
    total = (await session.execute(select(func.count()).select_from(
        statement.subquery()))).scalar_one()
    rows = await session.execute(statement.order_by(lic.c.licence_number)
                                 .limit(limit).offset(offset))
    return list(rows), int(total)


async def account_licences(session: AsyncSession, account: str | None) -> list[Any]:
    """Spectrum licences with their filing (of one account, or of all accounts)."""
    lic = t.licences
    statement = select(lic, t.filings.c.last_upload_at, t.station_sets.c.station_count
                       ).select_from(
        lic.outerjoin(t.filings, t.filings.c.licence_number == lic.c.licence_number)
        .outerjoin(t.station_sets, t.station_sets.c.licence_number == lic.c.licence_number)
    ).where(lic.c.kind == "spectrum").order_by(lic.c.licence_number)
    if account is not None:
        statement = statement.where(lic.c.account_number == account)
    return list(await session.execute(statement))


async def account_name(session: AsyncSession, account: str) -> str | None:
    return (await session.execute(select(t.accounts.c.legal_name).where(
        t.accounts.c.account_number == account))).scalar()


async def may_view(session: AsyncSession, profile_id: str, account: str) -> bool:
    found = await session.execute(select(t.access.c.account_number).where(
        t.access.c.profile_id == profile_id, t.access.c.account_number == account))
    return found.first() is not None


async def active_account(session: AsyncSession, profile_id: str) -> str | None:
    return (await session.execute(select(t.active_accounts.c.account_number).where(
        t.active_accounts.c.profile_id == profile_id))).scalar()


async def accounts_of(session: AsyncSession, profile_id: str) -> list[str]:
    rows = await session.execute(select(t.access.c.account_number).where(
        t.access.c.profile_id == profile_id).order_by(t.access.c.account_number))
    return [r[0] for r in rows]


async def changes(session: AsyncSession, after: int, limit: int) -> tuple[list[Any], int]:
    c = t.changes
    total = (await session.execute(select(func.count()).where(c.c.seq > after))).scalar_one()
    rows = await session.execute(select(c).where(c.c.seq > after).order_by(c.c.seq).limit(limit))
    return list(rows), int(total)


def _as_of(table: Table, moment: datetime) -> ColumnElement[bool]:
    return and_(table.c.valid_from < moment,
                or_(table.c.valid_to.is_(None), table.c.valid_to >= moment))


async def stations_as_of(session: AsyncSession, moment: datetime) -> Sequence[Any]:
    s, ss = t.stations, t.station_sources
    return list(await session.execute(
        select(s.c.licence_number, s.c.location, s.c.province, s.c.latitude, s.c.longitude,
               s.c.technology, s.c.tx_frequency, s.c.rx_frequency, s.c.line, ss.c.upload_id,
               ss.c.valid_from).select_from(_sourced(_as_of(ss, moment)))
        .order_by(s.c.licence_number, ss.c.valid_from, s.c.line, s.c.id)))


async def licences_as_of(session: AsyncSession, moment: datetime) -> Sequence[Any]:
    h = t.licence_history
    return list(await session.execute(
        select(h.c.licence_number, h.c.licensee_name, h.c.kind, h.c.status, h.c.service,
               h.c.service_area, h.c.issued_on, h.c.expires_on, h.c.valid_from)
        .where(_as_of(h, moment)).order_by(h.c.licence_number)))


async def eoi_licences(session: AsyncSession, limit: int, offset: int) -> tuple[list[Any], int]:
    lic = t.licences
    where = (lic.c.status == "Returned", lic.c.published_for_eoi.is_(True))
    total = (await session.execute(select(func.count()).where(*where))).scalar_one()
    rows = await session.execute(select(lic).where(*where).order_by(
        lic.c.status_changed_on.desc(), lic.c.licence_number).limit(limit).offset(offset))
    return list(rows), int(total)


async def open_items(session: AsyncSession, table: Table) -> list[Any]:
    return list(await session.execute(select(table).where(
        table.c.state.in_(("pending", "info_requested"))).order_by(table.c.submitted_at)))
