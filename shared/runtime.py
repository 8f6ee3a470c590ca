"""What every service is made of, and how its parts run: api, consumers, relay.

A service subclasses ``Service``; ``bootstrap.py`` of each service builds one from its
settings and the infrastructure (bus, object store, clock, ids) it is handed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import structlog
from fastapi import APIRouter
from sqlalchemy import MetaData

from shared.clock import Clock, SystemClock
from shared.config import ServiceSettings
from shared.db.engine import make_engine, make_sessionmaker
from shared.events.registry import REGISTRY
from shared.ids import IdSource, Uuid7Source
from shared.messaging.consumer import EventDispatcher
from shared.messaging.outbox import OutboxRelay
from shared.messaging.ports import Bus, Consumer
from shared.messaging.tables import MessagingTables
from shared.messaging.uow import UnitOfWorkFactory
from shared.sessions import TABLE as REVOCATIONS
from shared.sessions import SessionRevocations, revocation_handlers
from shared.storage.ports import ObjectStore
from shared.web.security import principal_dependency

if TYPE_CHECKING:
    from shared.web.portal import Portal

log = structlog.get_logger()


@dataclass
class Infrastructure:
    """What a service is handed: the bus, the object store, time and ids."""

    bus: Bus
    store: ObjectStore
    clock: Clock = field(default_factory=SystemClock)
    ids: IdSource = field(default_factory=Uuid7Source)


def topics_for(event_types: list[str]) -> list[str]:
    wanted = set(event_types)
    return sorted({model.TOPIC for (kind, _), model in REGISTRY.items() if kind in wanted})


class StreamApp(Protocol):
    """A stream processor run by ``spectrum service NAME stream`` (a faust app)."""

    def required_topics(self) -> dict[str, int]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Service:
    """Base of the five services. Subclasses set ``name``, ``service_dir``, ``metadata``,
    ``tables`` and override ``routers``, ``pages``, ``dispatchers``, ``background`` and
    ``seed_demo``."""

    name: str
    service_dir: Path
    metadata: MetaData
    tables: MessagingTables
    follows_sessions = True  # identity, which ends the sessions, says False

    def __init__(self, settings: ServiceSettings, infra: Infrastructure):
        self.settings = settings
        self.infra = infra
        self.engine = make_engine(settings.database_url)
        self.sessions = make_sessionmaker(self.engine)
        self.uows = UnitOfWorkFactory(self.sessions, self.tables, clock=infra.clock,
                                      ids=infra.ids, source=f"sms.{self.name}")
        self.relay = OutboxRelay(self.sessions, self.tables, infra.bus, infra.clock,
                                 interval_s=settings.relay_interval_s, wake=self.uows.outbox_ready)
        self._consumers: list[Consumer] = []
        revocations = self.metadata.tables.get(REVOCATIONS)
        self.revocations = (None if revocations is None else
                            SessionRevocations(self.sessions, revocations, infra.clock))
        # who calls an API: a valid token of a current session (shared/web/security.py)
        self.principal = principal_dependency(settings.token_secret, infra.clock,
                                              self.revocations, settings.public_base_url)

    def all_dispatchers(self) -> list[EventDispatcher]:
        """The service's consumers, and the one that copies identity's ended sessions into
        its own table (a group of its own: nothing queued elsewhere delays a sign-out)."""
        extra = []
        if self.revocations is not None and self.follows_sessions:
            extra.append(EventDispatcher(f"{self.name}.sessions", revocation_handlers(
                self.revocations, self.metadata.tables[REVOCATIONS]), self.uows))
        return [*self.dispatchers(), *extra]

    # --- what a subclass provides -------------------------------------------------------
    def routers(self) -> list[APIRouter]:
        return []

    def pages(self, portal: Portal) -> list[APIRouter]:
        """The service's portal pages (``web/routes.py: build_pages(self, portal)``)."""
        return []

    def dispatchers(self) -> list[EventDispatcher]:
        return []

    def background(self) -> list[BackgroundJob]:
        return []

    async def seed_demo(self) -> None:
        return None

    async def pending_work(self) -> int:
        """Work the service still holds outside the bus (uploads not yet checked or applied);
        ``EmbeddedSystem.settle`` waits for none."""
        return 0

    def streams(self) -> list[StreamApp]:
        """Stream processors (faust apps) of the real stack's ``stream`` role; none by default."""
        return []

    # --- running ------------------------------------------------------------------------
    async def migrate(self) -> None:
        from shared.db.migrate import upgrade  # alembic: only the processes that migrate

        await asyncio.to_thread(upgrade, self.service_dir, self.settings.database_url)

    async def start_consumers(self) -> None:
        for dispatcher in self.all_dispatchers():
            consumer = self.infra.bus.consumer(dispatcher.group, topics_for(dispatcher.event_types),
                                               dispatcher)
            await consumer.start()
            self._consumers.append(consumer)
            log.info("consumer.started", service=self.name, group=dispatcher.group)

    async def stop_consumers(self) -> None:
        for consumer in self._consumers:
            await consumer.stop()
        self._consumers.clear()

    def stopping(self) -> None:
        """The process is asked to stop: end what would hold an answer back (a long wait),
        so it answers now with what it knows."""

    async def dispose(self) -> None:
        await self.stop_consumers()
        await self.engine.dispose()


class BackgroundJob:
    """A periodic job (reminders, sweepers); ``run_once`` is also called by tests directly."""

    name = "job"
    interval_s = 5.0

    async def run_once(self) -> None:
        raise NotImplementedError

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:  # noqa: BLE001 - a job must outlive passing faults
                log.exception("job.failed", job=self.name)
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.interval_s)
            except TimeoutError:
                continue
