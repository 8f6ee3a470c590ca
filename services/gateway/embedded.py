"""The embedded default: the whole system in one process, with demo data.

In-memory bus, one SQLite file per service, a local object store and a local SMTP sink under
``./var/``; the gateway on http://127.0.0.1:8000.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import structlog
from fastapi import FastAPI

from services.gateway.app import create_app
from services.gateway.catalog import SERVICES
from services.gateway.system import Runner
from shared.clock import Clock, SystemClock
from shared.heap import freeze_startup_heap
from shared.messaging.durable import DurableBus
from shared.runtime import Infrastructure, Service
from shared.storage.local import LocalObjectStore
from shared.testing.servers import free_port
from shared.testing.smtp import SmtpSink

# a site-data file larger than this is checked in a child process: the web and every
# consumer share this interpreter (services/sitedata/adapters/child_check.py)
CHECK_IN_CHILD_OVER_BYTES = 8_000_000
# and an upload's public rows (gzipped) larger than this are loaded into the reports read model
# by a child process (services/reports/adapters/child_load.py): ~15,000 rows and more
LOAD_IN_CHILD_OVER_BYTES = 1_000_000

log = structlog.get_logger()


@dataclass
class EmbeddedOptions:
    var_dir: Path = Path("var")
    base_url: str = "http://127.0.0.1:8000"
    smtp_port: int = 0
    demo: bool = True
    clock: Clock | None = None
    # a server process (``spectrum run``), not a test: what start-up built is frozen out of the
    # cyclic collector's reach (shared.heap), so a full collection no longer stalls every page
    freeze_heap: bool = False


class EmbeddedSystem:
    """Everything the embedded gateway runs; tests drive it directly too."""

    def __init__(self, options: EmbeddedOptions):
        self.options = options
        var = options.var_dir.resolve()
        var.mkdir(parents=True, exist_ok=True)
        self.smtp_port = options.smtp_port or free_port()
        self.mail = SmtpSink(port=self.smtp_port, maildir=var / "mail")
        # the log and the committed offsets outlive the process: nothing is lost on a crash
        self.bus = DurableBus(var / "bus.db")
        self.infra = Infrastructure(bus=self.bus, store=LocalObjectStore(var / "objects"),
                                    clock=options.clock or SystemClock())
        self.services: list[Service] = self._build()
        self.runner = Runner(self.services)
        self.ready = False

    def _build(self) -> list[Service]:
        var = self.options.var_dir.resolve()
        built = []
        for entry in SERVICES:
            values: dict[str, object] = {
                "database_url": f"sqlite+aiosqlite:///{var / (entry.name + '.db')}",
                "public_base_url": self.options.base_url}
            if entry.name == "notifications":
                values["smtp_port"] = self.smtp_port
            if entry.name == "sitedata":
                values["check_release_on_start"] = True  # the only checker there is
                # the web shares this interpreter: a big file is checked on the other core
                values["check_in_child_over_bytes"] = CHECK_IN_CHILD_OVER_BYTES
            if entry.name == "reports":  # and a big file's stations are loaded there too
                values["load_in_child_over_bytes"] = LOAD_IN_CHILD_OVER_BYTES
            settings = entry.settings.model_validate(values)
            built.append(entry.build(settings, self.infra))
        return built

    async def start(self) -> None:
        self.mail.start()
        await self.bus.start()
        await self.runner.migrate()
        await self.runner.start()
        if self.options.demo:
            await self.runner.seed_demo()
            await self.settle(work=False)  # uploads left by a crash go on in the background
        if self.options.freeze_heap:
            freeze_startup_heap()
        self.ready = True
        log.info("embedded.ready", base_url=self.options.base_url, smtp_port=self.mail.port)

    async def stop(self) -> None:
        self.ready = False
        await self.runner.stop()
        await self.bus.stop()
        self.mail.stop()

    async def settle(self, timeout: float = 30.0, *, work: bool = True) -> None:
        """Wait until every outbox is published and every consumer group caught up, and
        (``work``) no service holds work back, such as an upload being checked (tests)."""
        deadline = asyncio.get_running_loop().time() + timeout
        quiet = 0
        while quiet < 3:
            pending = sum([await s.relay.pending() + (await s.pending_work() if work else 0)
                           for s in self.services])
            quiet = quiet + 1 if pending == 0 and self.bus.lag() == 0 else 0
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"not settled in {timeout}s: {pending} unsent, "
                                   f"{self.bus.lag()} unconsumed")
            await asyncio.sleep(0.05)

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)


def build_app(system: EmbeddedSystem) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await system.start()
        try:
            yield
        finally:
            await system.stop()

    return create_app(system.services, lifespan, ready=lambda: system.ready,
                      maildir=system.options.var_dir.resolve() / "mail")
