"""Async engines and sessions for SQLite (embedded) and PostgreSQL (real stack)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
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


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, *, echo: bool = False) -> AsyncEngine:
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
    # no ping before each use (a round trip on every read): a connection PostgreSQL dropped
    # fails its statement once, as a disconnect, and the whole pool is then replaced
    # (tests/faults/test_server_restarts.py); that request answers 503 with Retry-After
    return create_async_engine(url, echo=echo, pool_pre_ping=False, pool_size=10,
                               max_overflow=10)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
