"""Stations on file, fed by ``sitedata.stations.replaced`` (claim check in the object store).

Version 2 names the uploads whose rows make up a licence's stations; each upload's public
rows are loaded once (in bulk), whatever the number of licences and events that name it. The
licence's previous sources get ``valid_to``, the new ones ``valid_from`` = the time the
upload was applied, so "as of" queries see the stations of any moment.

Version 1 (events sent before version 2) carried one JSON-lines object of the licence's
stations per event: it is loaded as a source of its own. Contact columns C, D and E are blank
in what is loaded: they are never public.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import insert, select, update

from services.reports.adapters import station_loader as loader
from services.reports.adapters import tables as t
from services.reports.adapters.child_load import ChildLoad
from shared.db.upsert import upsert
from shared.events import sitedata as se
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork
from shared.stationrows import blank_contacts, encode_fields
from shared.storage.ports import ObjectStore

log = structlog.get_logger()

BATCH = 1000


def _text(value: Any, limit: int) -> str | None:
    return None if value in (None, "") else str(value)[:limit]


def _number(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def v1_row(record: dict[str, Any], source: str) -> tuple[Any, ...]:
    """A version-1 JSON line as a row of ``stations`` (``stationrows.COLUMNS`` order)."""
    fields = blank_contacts([str(v) for v in record.get("fields", [])])
    return (source, str(record["licence_number"]), int(record.get("line") or 0),
            _text(record.get("location"), 63) or "", _text(record.get("province"), 2),
            _number(record.get("latitude")), _number(record.get("longitude")),
            _text(record.get("technology"), 10), _number(record.get("tx_frequency")),
            _number(record.get("rx_frequency")), encode_fields(fields))


def parse_lines(data: bytes) -> Iterator[dict[str, Any]]:
    for line in data.splitlines():
        if line.strip():
            yield json.loads(line)


async def json_batches(store: ObjectStore, key: str) -> AsyncIterator[list[dict[str, Any]]]:
    """The object's JSON lines in batches, read chunk by chunk in a worker thread."""
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


async def _load_v1(uow: UnitOfWork, store: ObjectStore, source: str, key: str | None) -> int:
    count = 0
    if key is not None:
        async for batch in json_batches(store, key):
            await loader.insert_rows(uow.session, [v1_row(r, source) for r in batch])
            count += len(batch)
    return count


async def _ensure_loaded(uow: UnitOfWork, store: ObjectStore, source: str, key: str | None,
                         v1: bool, child: ChildLoad | None = None) -> int | None:
    """Load a source unless it is already there; its rows (None if it was there)."""
    if await loader.is_loaded(uow.session, source):
        return None
    await loader.claim_load(uow.session, source, uow.clock.now())
    if v1:
        rows = await _load_v1(uow, store, source, key)
    else:
        assert key is not None
        rows = await loader.load_object(uow.session, store, key, child)
    await loader.finish_load(uow.session, source, rows)
    return rows


async def _point(uow: UnitOfWork, licence: str, at: datetime,
                 sources: list[tuple[str, str]]) -> None:
    """The licence's stations are now the rows of ``sources`` ((source, upload id) pairs)."""
    ss = t.station_sources
    await uow.session.execute(update(ss).where(ss.c.licence_number == licence,
                                               ss.c.valid_to.is_(None)).values(valid_to=at))
    if sources:
        await uow.session.execute(insert(ss), [
            {"licence_number": licence, "source": source, "upload_id": upload_id,
             "valid_from": at, "valid_to": None} for source, upload_id in sources])


def stations_handlers(store: ObjectStore, child: ChildLoad | None = None
                      ) -> dict[str, EventHandler]:
    """``child``: a big object is loaded by a child process (a process that answers people)."""

    async def on_stations_replaced(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
        assert isinstance(payload, se.StationsReplacedV1 | se.StationsReplacedV2)
        at, licence = payload.applied_at, payload.licence_number
        known = (await uow.session.execute(select(t.station_sets.c.applied_at).where(
            t.station_sets.c.licence_number == licence))).scalar()
        if known is not None and known > at:
            return  # an older set redelivered after a newer one
        if isinstance(payload, se.StationsReplacedV2):
            pairs = [(s.upload_id, s.upload_id) for s in payload.sources]
            for s in payload.sources:
                await _ensure_loaded(uow, store, s.upload_id, s.object_key, v1=False,
                                     child=child)
            count = payload.station_count
        else:
            source = f"v1:{licence}:{payload.upload_id}:{at.isoformat()}"
            loaded = await _ensure_loaded(uow, store, source, payload.object_key, v1=True)
            pairs = [(source, payload.upload_id)] if loaded or payload.object_key else []
            count = loaded or 0
        await _point(uow, licence, at, pairs)
        await upsert(uow.session, t.station_sets, {
            "licence_number": licence, "upload_id": payload.upload_id, "applied_at": at,
            "station_count": count}, ("licence_number",))
        await uow.session.execute(insert(t.changes).values(
            kind="stations", licence_number=licence, change=payload.special or payload.mode,
            at=at, data=json.dumps({"upload_id": payload.upload_id, "station_rows": count,
                                    "mode": payload.mode, "special": payload.special})))
        log.info("reports.stations_replaced", licence=licence, rows=count)

    return {se.StationsReplacedV1.TYPE: on_stations_replaced}
