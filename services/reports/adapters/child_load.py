"""Loading a big upload's public rows in a child process, for a process that also answers
people (the embedded system, on SQLite).

There the web, every consumer and the loader share one interpreter, so one GIL: parsing and
binding 164,000 rows in a thread holds it in long C calls, and every page waits behind them
(reads took 40-80 ms instead of 15 while a 59 MB file's stations went in). So a child parses
the object and writes its rows into a table of its own in a staging database beside the
service's (``reports.loads.db``, attached to every connection as ``loads``); the parent then
copies them into ``stations`` with one ``INSERT … SELECT``, a single SQLite step that runs
without the GIL, and drops the table, in the caller's transaction.

Nothing is lost or loaded twice: the staging table counts for nothing until the parent's
transaction commits; a load tried again (the event redelivered after a crash) starts its table
afresh. If the child dies, the load fails and the event is handled again like any other.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import itertools
import multiprocessing
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from shared.stationrows import COLUMNS, gunzipped

# spawn: the parent has threads and an event loop, which a fork would copy half-way
_CONTEXT = multiprocessing.get_context("spawn")
SCHEMA = "loads"  # what the staging database is attached as
BATCH = 5000
_NAMES = ", ".join(COLUMNS)
# an empty cell is NULL, as COPY reads it (NULLIF in SQLite's C, not a Python pass per value)
_VALUES = ", ".join(["NULLIF(?, '')"] * len(COLUMNS))


@dataclass(frozen=True)
class ChildLoad:
    """Where the child writes (``staging``) and from what size of object it is used."""

    staging: Path
    over_bytes: int


class ChildDied(RuntimeError):
    """The loading process ended without an answer."""


def staging_path(database: str) -> Path:
    """``var/reports.db`` -> ``var/reports.loads.db``."""
    return Path(database).with_suffix(".loads.db")


def attach_staging(staging: Path) -> Callable[[Any, Any], None]:
    """A connect hook: the staging database attached as ``loads`` (ATTACH cannot run inside
    the transaction that later reads it, so it is done when the connection opens)."""

    def attach(dbapi_connection: Any, _: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"ATTACH DATABASE ? AS {SCHEMA}", (str(staging),))
        cursor.close()

    return attach


def table_for(key: str) -> str:
    return "rows_" + hashlib.sha256(key.encode()).hexdigest()[:24]


def insert_sql(table: str) -> str:
    """One row of public rows' strings into ``table`` (SQLite)."""
    return f'INSERT INTO "{table}" ({_NAMES}) VALUES ({_VALUES})'


def copy_sql(table: str) -> str:
    return f'INSERT INTO stations ({_NAMES}) SELECT {_NAMES} FROM {SCHEMA}."{table}"'


def drop_sql(table: str) -> str:
    return f'DROP TABLE IF EXISTS {SCHEMA}."{table}"'


def records(chunks: Iterable[bytes]) -> Iterator[list[str]]:
    """The records of a public-rows CSV (the header left out): one ``csv.reader`` over whole
    lines, fed a chunk's lines at a time (a quoted value may hold a line end, so a record may
    span lines and chunks). Empty cells stay "": the INSERT makes them NULL."""
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


def load_in_child(gzipped: Iterable[bytes], staging: Path, table: str) -> int:
    """Every record of the gzipped public rows into a new ``table`` of ``staging``, written by
    a child process; how many (call it from a worker thread: it blocks)."""
    chunks_out, chunks_in = _CONTEXT.Pipe(duplex=False)
    answer_in, answer_out = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child_main, name=f"load-{table}", daemon=True,
                             args=(chunks_out, answer_out, str(staging), table))
    child.start()
    for end in (chunks_out, answer_out):
        end.close()  # the child's ends: closed here, so a dead child is seen as EOF
    try:
        _feed(gzipped, chunks_in)
        try:
            answer = answer_in.recv()
        except EOFError:
            raise ChildDied(f"the process loading {table} ended without an answer") from None
    finally:
        answer_in.close()
        child.join(timeout=30)
        if child.is_alive():
            child.kill()
    if isinstance(answer, str):
        raise RuntimeError(f"loading {table} failed: {answer}")
    return int(answer)


def _feed(gzipped: Iterable[bytes], chunks_in: Connection) -> None:
    """The object's chunks to the child, then an empty one: the end. If reading the object
    fails, the pipe closes without that end and the child gives up."""
    try:
        for chunk in gzipped:
            if chunk:
                chunks_in.send_bytes(chunk)
        chunks_in.send_bytes(b"")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the child died: its missing answer says so
    finally:
        chunks_in.close()


def _child_main(chunks_out: Connection, answer_out: Connection, staging: str,
                table: str) -> None:
    try:
        answer: int | str = _write(_received(chunks_out), staging, table)
    except BaseException as exc:  # noqa: BLE001 - the parent is told why, whatever it was
        answer = f"{type(exc).__name__}: {exc}"[:500]
    with contextlib.suppress(OSError):  # the parent is gone
        answer_out.send(answer)


def _received(chunks_out: Connection) -> Iterator[bytes]:
    while chunk := chunks_out.recv_bytes():  # EOFError: the parent stopped feeding
        yield chunk


def _write(gzipped: Iterator[bytes], staging: str, table: str) -> int:
    db = sqlite3.connect(staging, isolation_level=None, timeout=30)
    try:
        db.execute("PRAGMA auto_vacuum=FULL")  # a dropped table gives its pages back
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # scratch: the parent's commit is what counts
        db.execute(f'DROP TABLE IF EXISTS "{table}"')
        db.execute(f'CREATE TABLE "{table}" ({_NAMES})')
        db.execute("BEGIN")
        rows = records(gunzipped(gzipped))
        count = 0
        insert = insert_sql(table)
        while batch := [tuple(row) for row in itertools.islice(rows, BATCH)]:
            db.executemany(insert, batch)
            count += len(batch)
        db.execute("COMMIT")
        return count
    finally:
        db.close()
