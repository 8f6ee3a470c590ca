"""Runs services in one process: migrations, topics, consumers, relays and background jobs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import structlog

from shared.events.registry import topics
from shared.runtime import Service

log = structlog.get_logger()


class Runner:
    """Starts and stops the moving parts of the given services, all on one event loop."""

    def __init__(self, services: Sequence[Service], *, consumers: bool = True,
                 relays: bool = True, jobs: bool = True):
        self.services = list(services)
        self._consumers = consumers
        self._relays = relays
        self._jobs = jobs
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def migrate(self) -> None:
        for service in self.services:
            await service.migrate()

    async def start(self) -> None:
        buses = {id(s.infra.bus): s.infra.bus for s in self.services}
        for bus in buses.values():
            await bus.ensure_topics(topics())
        if self._consumers:
            for service in self.services:
                await service.start_consumers()
        for service in self.services:
            if self._relays:
                self._spawn(service.relay.run_forever(self._stop), f"{service.name}.relay")
            if self._jobs:
                for job in service.background():
                    self._spawn(job.run_forever(self._stop), job.name)

    def _spawn(self, coroutine: object, name: str) -> None:
        self._tasks.append(asyncio.create_task(coroutine, name=name))  # type: ignore[arg-type]

    async def seed_demo(self) -> None:
        for service in self.services:
            await service.seed_demo()

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=5)
        self._tasks.clear()
        for service in self.services:
            await service.dispose()
