"""One service process on the real stack:
``spectrum service NAME api|consume|relay|stream|migrate|seed`` (``stream``: the service's faust
apps, today the reports dashboard).

Settings come from the environment (``SMS_<NAME>_...``), read here once and passed in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
import uvloop
from fastapi import FastAPI

from services.gateway.app import create_app
from services.gateway.catalog import SERVICES, entry
from services.gateway.infra import infrastructure
from services.gateway.system import Runner
from shared.events.registry import topics
from shared.heap import freeze_startup_heap
from shared.logging import configure_logging
from shared.runtime import Service
from shared.web.server import Server

log = structlog.get_logger()
ROLES = ("api", "consume", "relay", "stream", "migrate", "seed")


def _service(name: str) -> Service:
    item = entry(name)
    settings = item.settings()
    configure_logging(json=settings.log_json or settings.environment != "development")
    settings.check_token_secret()
    structlog.contextvars.bind_contextvars(service=name)
    return item.build(settings, infrastructure(settings))


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _heartbeat(path: Path, interval_s: float = 5.0) -> None:
    """Touch ``path`` while the event loop runs: the liveness probe of a worker container."""
    while True:
        path.touch()
        await asyncio.sleep(interval_s)


async def _serve(service: Service, role: str, heartbeat: Path | None,
                 start: Callable[[], Awaitable[None]], stop: Callable[[], Awaitable[None]]
                 ) -> None:
    """A worker process: start its work, beat while the loop runs, stop on SIGTERM/SIGINT."""
    await service.infra.bus.start()
    beat: asyncio.Task[None] | None = None
    try:
        await start()
        log.info("process.ready", role=role)
        if heartbeat is not None:
            beat = asyncio.create_task(_heartbeat(heartbeat))
        await _until_stopped()
    finally:
        if beat is not None:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
        await stop()
        await service.infra.bus.stop()


async def _stream(service: Service, heartbeat: Path | None = None) -> None:
    apps = service.streams()
    if not apps:
        raise SystemExit(f"the {service.name} service has no stream worker")

    async def start() -> None:
        for app in apps:  # faust expects its topics; no broker here creates them on demand
            await service.infra.bus.ensure_topics({**topics(), **app.required_topics()})
            await app.start()

    async def stop() -> None:
        for app in apps:
            await app.stop()
        await service.dispose()

    await _serve(service, "stream", heartbeat, start, stop)


async def _work(service: Service, role: str, heartbeat: Path | None = None) -> None:
    runner = Runner([service], consumers=role == "consume", relays=role == "relay",
                    jobs=role == "consume")
    await _serve(service, role, heartbeat, runner.start, runner.stop)


def _api(service: Service, host: str, port: int) -> None:
    import uvicorn

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await service.dispose()

    # keep-alive past the gateway's idle upstream connections (2 s), so none is reused as it closes
    config = uvicorn.Config(create_app([service], lifespan), host=host, port=port,
                            log_level="warning", timeout_keep_alive=30, proxy_headers=True,
                            forwarded_allow_ips=service.settings.forwarded_allow_ips)
    config.load()
    freeze_startup_heap()
    Server(config, on_stop=service.stopping).run()


async def _once(service: Service, role: str) -> None:
    if role == "migrate":
        await service.migrate()
    else:
        await service.infra.bus.start()
        await service.infra.bus.ensure_topics(topics())  # never let the broker auto-create
        await service.seed_demo()
        await service.relay.run_once()
        await service.infra.bus.stop()
    await service.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="spectrum service")
    parser.add_argument("name", choices=[e.name for e in SERVICES])
    parser.add_argument("role", choices=ROLES)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--heartbeat", type=Path, default=None,
                        help="consume/relay/stream: touch this file every 5 s while running "
                             "(a container's liveness probe checks its age)")
    args = parser.parse_args(argv)
    service = _service(args.name)
    if args.role == "api":
        _api(service, args.host, args.port)
    elif args.role in ("migrate", "seed"):
        uvloop.run(_once(service, args.role))
    elif args.role == "stream":
        asyncio.run(_stream(service, args.heartbeat))
    else:  # consume, relay: on uvloop, as uvicorn runs the api
        uvloop.run(_work(service, args.role, args.heartbeat))
    return 0
