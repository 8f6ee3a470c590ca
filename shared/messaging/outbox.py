"""The relay: publishes outbox rows in order and marks them sent."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.clock import Clock
from shared.events.envelope import Envelope
from shared.messaging.ports import Bus
from shared.messaging.tables import MessagingTables

log = structlog.get_logger()

RELAY_LOCK = 7_331_001


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


class OutboxRelay:
    """At-least-once: a crash after publish and before marking re-publishes (the inbox drops it)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], tables: MessagingTables,
                 bus: Bus, clock: Clock, *, batch: int = 200, interval_s: float = 0.2,
                 wake: asyncio.Event | None = None):
        self._sessions = sessions
        self._outbox = tables.outbox
        self._bus = bus
        self._clock = clock
        self._batch = batch
        self._interval_s = interval_s
        self._wake = wake or asyncio.Event()

    async def run_once(self) -> int:
        """Publish one batch; returns how many rows were published."""
        async with self._sessions() as session, session.begin():
            if not await self._take_lock(session):
                return 0
            query = (select(self._outbox.c.seq, self._outbox.c.topic, self._outbox.c.key,
                            self._outbox.c.envelope)
                     .where(self._outbox.c.sent_at.is_(None))
                     .order_by(self._outbox.c.seq).limit(self._batch))
            if _dialect(session) == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = (await session.execute(query)).all()
            for row in rows:
                envelope = Envelope.model_validate_json(row.envelope)
                await self._bus.publish(row.topic, row.key, envelope.to_bytes(), envelope.headers())
            if rows:
                await session.execute(update(self._outbox)
                                      .where(self._outbox.c.seq.in_([r.seq for r in rows]))
                                      .values(sent_at=self._clock.now()))
            return len(rows)

    async def _take_lock(self, session: AsyncSession) -> bool:
        """One relay at a time per service database keeps the outbox order on the bus."""
        if _dialect(session) != "postgresql":
            return True
        result = await session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"),
                                       {"k": RELAY_LOCK})
        return bool(result.scalar())

    async def pending(self) -> int:
        async with self._sessions() as session:
            query = select(func.count()).select_from(self._outbox).where(
                self._outbox.c.sent_at.is_(None))
            return int((await session.execute(query)).scalar_one())

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                published = await self.run_once()
            except Exception:  # noqa: BLE001 - the relay must outlive broker and database faults
                log.exception("outbox.relay_failed")
                published = 0
                await asyncio.sleep(self._interval_s * 5)
            if published:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._interval_s)
