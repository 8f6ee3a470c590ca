"""Stations on file, fed by ``sitedata.stations.replaced`` (claim check in the object store).

Each event replaces the licence's current station rows: the old rows get ``valid_to`` and the
rows of the named object are inserted with ``valid_from`` = the time the upload was applied.
Contact columns C, D and E are blanked again here: they are never public.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import insert, select, update

from services.reports.adapters import tables as t
from shared.db.upsert import upsert
from shared.events import sitedata as se
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork
from shared.storage.ports import ObjectStore

log = structlog.get_logger()

CONTACT_COLUMNS = (2, 3, 4)
BATCH = 1000


def _text(value: Any, limit: int) -> str | None:
    return None if value in (None, "") else str(value)[:limit]


def _number(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def station_values(record: dict[str, Any], upload_id: str, at: datetime) -> dict[str, Any]:
    fields = [str(v) for v in record.get("fields", [])]
    for index in CONTACT_COLUMNS:
        if index < len(fields):
            fields[index] = ""
    return {"licence_number": str(record["licence_number"]), "upload_id": upload_id,
            "line": int(record.get("line") or 0),
            "location": _text(record.get("location"), 63) or "",
            "province": _text(record.get("province"), 2),
            "latitude": _number(record.get("latitude")),
            "longitude": _number(record.get("longitude")),
            "technology": _text(record.get("technology"), 10),
            "tx_frequency": _number(record.get("tx_frequency")),
            "rx_frequency": _number(record.get("rx_frequency")),
            "fields": json.dumps(fields), "valid_from": at, "valid_to": None}


def parse_lines(data: bytes) -> Iterator[dict[str, Any]]:
    for line in data.splitlines():
        if line.strip():
            yield json.loads(line)


async def station_batches(store: ObjectStore, key: str) -> AsyncIterator[list[dict[str, Any]]]:
    """The object's JSON lines in batches, read chunk by chunk in a worker thread (a licence
    with many stations never sits in memory whole)."""
    chunks = await asyncio.to_thread(store.iter_chunks, key)
    rest = b""
    batch: list[dict[str, Any]] = []
    while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
        *lines, rest = (rest + chunk).split(b"\n")
        batch.extend(parse_lines(b"\n".join(lines)))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    batch.extend(parse_lines(rest))
    if batch:
        yield batch


def stations_handlers(store: ObjectStore) -> dict[str, EventHandler]:
    async def on_stations_replaced(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
        assert isinstance(payload, se.StationsReplacedV1)
        at, licence = payload.applied_at, payload.licence_number
        known = (await uow.session.execute(select(t.station_sets.c.applied_at).where(
            t.station_sets.c.licence_number == licence))).scalar()
        if known is not None and known > at:
            return  # an older set redelivered after a newer one
        s = t.stations
        await uow.session.execute(update(s).where(s.c.licence_number == licence,
                                                  s.c.valid_to.is_(None)).values(valid_to=at))
        count = 0
        if payload.object_key is not None:
            async for batch in station_batches(store, payload.object_key):
                await uow.session.execute(insert(s), [
                    station_values(r, payload.upload_id, at) for r in batch])
                count += len(batch)
        await upsert(uow.session, t.station_sets, {
            "licence_number": licence, "upload_id": payload.upload_id, "applied_at": at,
            "station_count": count}, ("licence_number",))
        await uow.session.execute(insert(t.changes).values(
            kind="stations", licence_number=licence, change=payload.special or payload.mode,
            at=at, data=json.dumps({"upload_id": payload.upload_id, "station_rows": count,
                                    "mode": payload.mode, "special": payload.special})))
        log.info("reports.stations_replaced", licence=licence, rows=count)

    return {se.StationsReplacedV1.TYPE: on_stations_replaced}
