"""Async engines and sessions for SQLite (embedded) and PostgreSQL (real stack)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool

# what a read query runs on: a unit of work's session, or ``UnitOfWorkFactory.reading()``
Reader = AsyncSession | AsyncConnection


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sync_url(url: str) -> str:
    """The same database for a synchronous driver (migrations)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite").render_as_string(hide_password=False)
    return url


SQLITE_POOL = 4
# A connection that waited in the pool longer than this is pinged before it is used again; a
# busy one is not (a ping on every use was a round trip on every read). Idle connections are
# the ones a firewall, a NAT or a proxy drops silently. One PostgreSQL dropped while it was
# busy fails its statement once, as a disconnect, and the whole pool is then replaced
# (tests/faults/test_server_restarts.py): that request answers 503 with Retry-After.
IDLE_PING_S = 10.0


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, *, echo: bool = False, idle_ping_s: float = IDLE_PING_S) -> AsyncEngine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # a few connections kept open: opening one per unit of work (a thread, the file, the
        # schema parsed again, the pragmas) cost more than the query itself; past those, as
        # many as are asked for, closed when given back (no caller ever waits for one)
        engine = create_async_engine(url, echo=echo, poolclass=AsyncAdaptedQueuePool,
                                     pool_size=SQLITE_POOL, max_overflow=-1)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(url, echo=echo, pool_size=10, max_overflow=10)
    ping_after_idle(engine, idle_ping_s)
    return engine


def ping_after_idle(engine: AsyncEngine, idle_s: float) -> None:
    """Ping a connection taken from the pool after ``idle_s`` in it; one that fails is
    replaced by a new one before the caller gets it (SQLAlchemy retries the checkout)."""
    pool = engine.sync_engine.pool

    def given_back(_: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def taken(dbapi_connection: Any, record: Any, _: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", time.monotonic()) < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure: the pool connects anew
            raise DisconnectionError(f"an idle connection was dropped: {error}") from error

    event.listen(pool, "checkin", given_back)
    event.listen(pool, "checkout", taken)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
