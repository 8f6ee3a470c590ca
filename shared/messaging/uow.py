"""Unit of work: one transaction for a handler's state change and the events it raises."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import cached_property
from types import TracebackType

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from shared.clock import Clock
from shared.events.envelope import Envelope, Payload
from shared.ids import IdSource
from shared.messaging.tables import MessagingTables


class UnitOfWork:
    """``async with uow: ...; uow.emit(...); await uow.commit()`` — rolled back if not committed."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], tables: MessagingTables, *,
                 clock: Clock, ids: IdSource, source: str, correlation_id: str | None = None,
                 causation_id: str | None = None, on_commit: Callable[[], None] | None = None):
        self._sessions = sessions
        self._tables = tables
        self.clock = clock
        self.ids = ids
        self._source = source
        self._correlation_id = correlation_id
        self._causation_id = causation_id
        self._on_commit = on_commit
        self._emitted = 0
        self._after_commit: list[Callable[[], None]] = []
        self.session: AsyncSession

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        await self.session.begin()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self.session.in_transaction():
            await self.session.rollback()
        await self.session.close()

    def envelope(self, payload: Payload, subject: str) -> Envelope:
        event_id = self.ids.new()
        return Envelope(
            id=event_id, type=payload.TYPE, version=payload.VERSION, source=self._source,
            subject=subject, time=self.clock.now(),
            correlation_id=self._correlation_id or str(event_id),
            causation_id=self._causation_id, data=payload.model_dump(mode="json"),
        )

    async def emit(self, payload: Payload, subject: str, *, key: str | None = None) -> Envelope:
        """Write the event to the outbox inside this transaction. ``key`` (the partition key)
        is the subject unless work must be partitioned otherwise (uploads: by account)."""
        envelope = self.envelope(payload, subject)
        await self.session.execute(insert(self._tables.outbox).values(
            event_id=str(envelope.id), topic=payload.TOPIC, key=key or subject,
            envelope=envelope.model_dump_json(), created_at=envelope.time,
        ))
        self._emitted += 1
        return envelope

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once this unit of work has committed (never if it rolls back)."""
        self._after_commit.append(callback)

    async def commit(self) -> None:
        await self.session.commit()
        if self._emitted and self._on_commit is not None:
            self._on_commit()
        self._emitted = 0
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()


class UnitOfWorkFactory:
    """Makes units of work for one service; wakes the relay after a commit that emitted."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], tables: MessagingTables, *,
                 clock: Clock, ids: IdSource, source: str):
        self.sessions = sessions
        self.tables = tables
        self.clock = clock
        self.ids = ids
        self.source = source
        self.outbox_ready = asyncio.Event()

    def reading(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection for reads only: autocommit, so no BEGIN and ROLLBACK round trips and
        no ORM session; each statement sees what is committed when it runs. The hot read
        endpoints use it; anything that writes uses a unit of work."""
        return self._reader.connect()

    @property
    def engine(self) -> AsyncEngine:
        return self.sessions.kw["bind"]  # type: ignore[no-any-return]

    def autocommit(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection on which each statement commits at once (small writes such as
        progress and leases, outside any unit of work)."""
        return self._reader.connect()

    @cached_property
    def _reader(self) -> AsyncEngine:
        return self.engine.execution_options(isolation_level="AUTOCOMMIT")

    def __call__(self, *, correlation_id: str | None = None,
                 causation_id: str | None = None) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.tables, clock=self.clock, ids=self.ids,
                          source=self.source, correlation_id=correlation_id,
                          causation_id=causation_id, on_commit=self.outbox_ready.set)
