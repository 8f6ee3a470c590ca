"""Loading the public station rows of an upload (``shared.stationrows``) into ``stations``,
once per upload, in the caller's transaction.

PostgreSQL: the object's bytes, unzipped, go straight into ``COPY ... FROM STDIN`` (no Python
per row).
SQLite: a worker thread parses the CSV and the rows go in as tuples, ``executemany`` in
batches. The ``station_loads`` row is written first, so a second consumer loading the same
upload waits on it instead of copying the rows twice.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.reports.adapters import tables as t
from shared.stationrows import COLUMNS, gunzipped
from shared.storage.ports import ObjectStore

_NAMES = ", ".join(COLUMNS)
COPY_SQL = f"COPY stations ({_NAMES}) FROM STDIN (FORMAT csv, HEADER true)"
# an empty cell is NULL, as COPY reads it (NULLIF in SQLite's C, not a Python pass per value)
_NULL_IF_EMPTY = "NULLIF(?, '')"
_VALUES = ", ".join([_NULL_IF_EMPTY] * len(COLUMNS))
INSERT_SQL = f"INSERT INTO stations ({_NAMES}) VALUES ({_VALUES})"
BATCH = 5000
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


async def load_object(session: AsyncSession, store: ObjectStore, key: str) -> int:
    """Every row of the object into ``stations``; how many."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        return await _copy(connection, store, key)
    count = 0
    async for batch in _parsed_batches(store, key):
        await connection.exec_driver_sql(INSERT_SQL, batch)
        count += len(batch)
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


def _rows(chunks: Iterator[bytes]) -> Iterator[list[str]]:
    """The object's records (the header left out): one ``csv.reader`` over whole lines, fed
    a chunk's lines at a time (a quoted value may hold a line end, so a record may span
    lines and chunks). Empty cells stay "": the INSERT makes them NULL."""
    decoder = codecs.getincrementaldecoder("utf-8")()

    def blocks() -> Iterator[io.StringIO]:
        rest = ""
        for chunk in chunks:
            rest += decoder.decode(chunk)
            cut = rest.rfind("\n") + 1
            if cut:
                yield io.StringIO(rest[:cut])
                rest = rest[cut:]
        rest += decoder.decode(b"", final=True)
        if rest:
            yield io.StringIO(rest)

    reader = csv.reader(itertools.chain.from_iterable(blocks()))
    next(reader, None)  # the header
    return reader


async def _parsed_batches(store: ObjectStore, key: str) -> Any:
    chunks = await asyncio.to_thread(store.iter_chunks, key)
    rows = _rows(gunzipped(chunks))

    def take() -> list[Row]:
        return [tuple(row) for row in itertools.islice(rows, BATCH)]

    while batch := await asyncio.to_thread(take):
        yield batch
