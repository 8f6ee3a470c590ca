"""Writing an upload's station rows in bulk while its file is checked.

PostgreSQL takes the rows through one ``COPY`` inside the unit of work that records the
upload's verdict, so they appear with it or not at all (a rejected file rolls back to a
savepoint). SQLite takes batched ``executemany`` of tuples, each batch its own short
transaction so other writers are never held up for long; what a crashed attempt left is
deleted before the next one starts. Either way the rows stay out of sight until the upload
is applied: ``licence_stations`` decides what is on file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.sitedata.adapters import tables as t
from shared.stationrows import COLUMNS, encode_lines

Row = tuple[Any, ...]
_NAMES = ", ".join(COLUMNS)
COPY_SQL = f"COPY stations ({_NAMES}) FROM STDIN (FORMAT csv)"
INSERT_SQL = f"INSERT INTO stations ({_NAMES}) VALUES ({', '.join('?' * len(COLUMNS))})"
SAVEPOINT = "sitedata_staging"


def as_tuples(rows: Sequence[Row]) -> Sequence[Row]:
    return rows


class Stager(Protocol):
    def encode(self, rows: Sequence[Any]) -> Any:
        """Prepare a batch for ``write`` (called in the worker thread, off the event loop):
        tuples, or CSV lines when ``encode`` is ``encode_lines``."""

    async def begin(self) -> None: ...

    async def write(self, payload: Any) -> None: ...

    async def finish(self) -> None:
        """Every row is written (committed by the caller's unit of work, or already)."""

    async def discard(self) -> None:
        """The file is refused or the attempt given up: no row of it may remain."""


class CopyStager:
    """PostgreSQL: one COPY in the unit of work's own transaction."""

    encode = staticmethod(encode_lines)  # the sink writes the CSV lines COPY reads

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._cursor: Any = None
        self._context: Any = None
        self._copy: Any = None

    async def begin(self) -> None:
        connection = await self._session.connection()
        raw: Any = (await connection.get_raw_connection()).driver_connection
        self._cursor = raw.cursor()
        await self._cursor.execute(f"SAVEPOINT {SAVEPOINT}")
        self._context = self._cursor.copy(COPY_SQL)
        self._copy = await self._context.__aenter__()

    async def write(self, payload: bytes) -> None:
        await self._copy.write(payload)

    async def _end(self, error: BaseException | None) -> None:
        context, self._context = self._context, None
        if context is not None:
            await context.__aexit__(type(error) if error else None, error, None)

    async def finish(self) -> None:
        await self._end(None)
        await self._cursor.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
        await self._cursor.close()

    async def discard(self) -> None:
        if self._cursor is None:
            return
        with contextlib.suppress(Exception):  # psycopg reports the COPY we ended on purpose
            await self._end(RuntimeError("staging given up"))
        await self._cursor.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
        await self._cursor.close()
        self._cursor = None


class BatchStager:
    """SQLite: executemany of tuples, one short transaction per batch."""

    encode = staticmethod(as_tuples)

    def __init__(self, engine: AsyncEngine, upload_id: str) -> None:
        self._engine = engine
        self._upload_id = upload_id

    async def _delete(self) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(delete(t.stations).where(
                t.stations.c.upload_id == self._upload_id))

    async def begin(self) -> None:
        await self._delete()  # what an attempt that crashed left behind

    async def write(self, payload: Sequence[Row]) -> None:
        async with self._engine.begin() as connection:
            await connection.exec_driver_sql(INSERT_SQL, list(payload))

    async def finish(self) -> None:
        return None

    async def discard(self) -> None:
        await self._delete()


def open_stager(session: AsyncSession, engine: AsyncEngine, upload_id: str) -> Stager:
    if engine.dialect.name == "postgresql":
        return CopyStager(session)
    return BatchStager(engine, upload_id)
