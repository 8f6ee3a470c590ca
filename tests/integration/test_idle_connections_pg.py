"""A PostgreSQL connection dropped while it waited in the pool (a firewall, a NAT or a proxy
that forgets an idle flow; a server restart at night) is replaced before anyone uses it; a busy
one is used without a ping, and one dropped under it costs that one statement."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import count

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.engine import make_engine
from shared.testing.postgres import PostgresServer

_databases = count()


def drop_connections(server: PostgresServer, database: str) -> None:
    with psycopg.connect(server.dsn(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))


async def one(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT 1"))).scalar_one())


@asynccontextmanager
async def used_once_then_dropped(server: PostgresServer,
                                 idle_ping_s: float) -> AsyncIterator[AsyncEngine]:
    """An engine of a database of its own whose pooled connection, used once, the server
    then drops."""
    name = f"idle_{next(_databases)}"
    engine = make_engine(server.create_database(name), idle_ping_s=idle_ping_s)
    try:
        assert await one(engine) == 1
        drop_connections(server, name)
        yield engine
    finally:
        await engine.dispose()


async def test_a_connection_dropped_while_idle_is_replaced_before_it_is_used(
        pg_server: PostgresServer) -> None:
    async with used_once_then_dropped(pg_server, idle_ping_s=0.2) as engine:
        await asyncio.sleep(0.3)  # idle longer than idle_ping_s
        assert await one(engine) == 1  # no error: pinged, found dead, replaced


async def test_a_connection_used_again_at_once_is_not_pinged_and_fails_once(
        pg_server: PostgresServer) -> None:
    async with used_once_then_dropped(pg_server, idle_ping_s=3600) as engine:
        with pytest.raises(DBAPIError) as failed:
            await one(engine)
        assert failed.value.connection_invalidated  # seen as a disconnect: the pool is renewed
        assert await one(engine) == 1
