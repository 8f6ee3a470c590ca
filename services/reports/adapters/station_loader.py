"""Loading the public station rows of an upload (``shared.stationrows``) into ``stations``,
once per upload, in the caller's transaction.

PostgreSQL: the object's bytes, unzipped, go straight into ``COPY ... FROM STDIN`` (no Python
per row).
SQLite: a worker thread parses the CSV and the rows go in as tuples, ``executemany`` in
batches; where the process also answers people (``ChildLoad``), a big object is parsed and
written by a child process instead (``child_load``). The ``station_loads`` row is written
first, so a second consumer loading the same upload waits on it instead of copying the rows
twice.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.reports.adapters import tables as t
from services.reports.adapters.child_load import (
    BATCH,
    ChildLoad,
    copy_sql,
    drop_sql,
    insert_sql,
    load_in_child,
    records,
    table_for,
)
from shared.stationrows import COLUMNS, gunzipped
from shared.storage.ports import ObjectStore

COPY_SQL = f"COPY stations ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv, HEADER true)"
INSERT_SQL = insert_sql("stations")
Row = tuple[Any, ...]


async def is_loaded(session: AsyncSession, source: str) -> bool:
    found = await session.execute(select(t.station_loads.c.source).where(
        t.station_loads.c.source == source))
    return found.first() is not None


async def claim_load(session: AsyncSession, source: str, at: Any) -> None:
    await session.execute(insert(t.station_loads).values(source=source, rows=0, loaded_at=at))


async def finish_load(session: AsyncSession, source: str, rows: int) -> None:
    await session.execute(update(t.station_loads).where(t.station_loads.c.source == source)
                          .values(rows=rows))


async def load_object(session: AsyncSession, store: ObjectStore, key: str,
                      child: ChildLoad | None = None) -> int:
    """Every row of the object into ``stations``; how many."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        return await _copy(connection, store, key)
    chunks = await asyncio.to_thread(store.iter_chunks, key)
    if child is not None:
        head, more = await asyncio.to_thread(_peek, chunks, child.over_bytes)
        if more:
            return await _load_in_child(connection, child, key, itertools.chain(head, chunks))
        chunks = iter(head)
    count = 0
    async for batch in _parsed_batches(chunks):
        await connection.exec_driver_sql(INSERT_SQL, batch)
        count += len(batch)
    return count


def _peek(chunks: Iterator[bytes], over_bytes: int) -> tuple[list[bytes], bool]:
    """The object's first chunks, read until there are none left or they hold more than
    ``over_bytes``; and whether they do (the object is big)."""
    head: list[bytes] = []
    size = 0
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size > over_bytes:
            return head, True
    return head, False


async def _load_in_child(connection: Any, child: ChildLoad, key: str,
                         chunks: Iterator[bytes]) -> int:
    table = table_for(key)
    count = await asyncio.to_thread(load_in_child, chunks, child.staging, table)
    await connection.exec_driver_sql(copy_sql(table))  # one SQLite step, without the GIL
    await connection.exec_driver_sql(drop_sql(table))
    return count


async def insert_rows(session: AsyncSession, rows: list[Row]) -> None:
    """Rows built in Python (the version-1 path), as tuples in ``COLUMNS`` order."""
    if rows:
        connection = await session.connection()
        names = dict(zip(COLUMNS, range(len(COLUMNS)), strict=True))
        await connection.execute(insert(t.stations), [
            {name: row[i] for name, i in names.items()} for row in rows])


async def _copy(connection: Any, store: ObjectStore, key: str) -> int:
    raw: Any = (await connection.get_raw_connection()).driver_connection
    chunks = gunzipped(await asyncio.to_thread(store.iter_chunks, key))
    async with raw.cursor() as cursor:
        async with cursor.copy(COPY_SQL) as copy:
            while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
                await copy.write(chunk)
        return int(cursor.rowcount)


async def _parsed_batches(chunks: Iterator[bytes]) -> Any:
    rows = records(gunzipped(chunks))

    def take() -> list[Row]:
        return [tuple(row) for row in itertools.islice(rows, BATCH)]

    while batch := await asyncio.to_thread(take):
        yield batch
