"""The reports service alone over SQLite, its consumers fed scripted events (with the real
inbox), its API over ASGI. No other service runs: every fact arrives as an event."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.gateway.app import create_app
from services.reports.bootstrap import ReportsService, build
from services.reports.settings import ReportsSettings
from shared.auth import Principal, issue_token
from shared.clock import FixedClock
from shared.events.envelope import Envelope, Payload
from shared.ids import Uuid7Source
from shared.messaging.memory import MemoryBus
from shared.messaging.ports import Record
from shared.runtime import Infrastructure
from shared.stationrows import Gzipper, csv_lines, encode_fields, public_key
from shared.storage.local import LocalObjectStore

LICENSEE = Principal("p-licensee", "licensee")
STRANGER = Principal("p-stranger", "stranger")
OFFICER = Principal("p-officer", "officer", roles=frozenset({"officer"}))


class Harness:
    licensee, stranger, officer = LICENSEE, STRANGER, OFFICER

    def __init__(self, service: ReportsService, clock: FixedClock, http: httpx.AsyncClient):
        self.service = service
        self.clock = clock
        self.http = http
        self.store = service.infra.store
        self._offsets = itertools.count()
        self._ids = Uuid7Source()

    async def publish(self, payload: Payload, subject: str = "s",
                      at: datetime | None = None) -> Envelope:
        """Deliver one event to every consumer group that handles it (as the bus would)."""
        envelope = Envelope(id=self._ids.new(), type=payload.TYPE, version=payload.VERSION,
                            source="sms.test", subject=subject, time=at or self.clock.now(),
                            data=payload.model_dump(mode="json"))
        await self.deliver(envelope)
        return envelope

    async def deliver(self, envelope: Envelope) -> None:
        record = Record(topic="t", key=envelope.subject, value=envelope.to_bytes(), headers={},
                        partition=0, offset=next(self._offsets))
        for dispatcher in self.service.dispatchers():
            if envelope.type in dispatcher.event_types:
                await dispatcher(record)

    async def put_stations(self, key: str, rows: list[dict[str, Any]]) -> str:
        data = "".join(json.dumps(r) + "\n" for r in rows).encode()
        await self.store.put_bytes(key, data)
        return key

    async def put_public(self, upload_id: str, rows: list[tuple[str, ...]]) -> str:
        """The public rows of an upload as sitedata writes them (``shared.stationrows``):
        ``rows`` are (licence, line, location, province, lat, lon, technology, tx, rx)."""
        gzip = Gzipper()
        lines = [(upload_id, lic, line, loc, prov, lat, lon, tech, tx, rx,
                  encode_fields([lic, "REF", "", "", "", loc, *["X"] * 48]))
                 for lic, line, loc, prov, lat, lon, tech, tx, rx in rows]
        key = public_key(upload_id)
        await self.store.put_bytes(key, gzip.head + gzip.compress(csv_lines(lines))
                                   + gzip.finish())
        return key

    def auth(self, principal: Principal) -> dict[str, str]:
        token = issue_token(principal, secret=self.service.settings.token_secret,
                            now=self.clock.now(), ttl_s=3600)
        return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def harness_on(database_url: str, objects: Path, **settings: Any
                     ) -> AsyncIterator[Harness]:
    """The service on any database (SQLite here, PostgreSQL in tests/integration)."""
    clock = FixedClock(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    infra = Infrastructure(bus=MemoryBus(), store=LocalObjectStore(objects), clock=clock)
    service = build(ReportsSettings(database_url=database_url, **settings), infra)
    await service.migrate()
    app = create_app([service])
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield Harness(service, clock, http)
    finally:
        await service.dispose()


@pytest.fixture
async def reports(tmp_path: Path) -> AsyncIterator[Harness]:
    async with harness_on(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}",
                          tmp_path / "objects") as harness:
        yield harness
