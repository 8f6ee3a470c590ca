"""Runs the (blocking) validator over a stored object in a worker thread, and hands the rows
it accepts back to the event loop in batches through a bounded queue, so memory stays flat
whatever the file size.

One pass reads the object once: the rows come out ready for the store (``Stager.encode``)
and for the public copy (``shared.stationrows``), while the loop writes the batch before.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.sitedata.domain.validation import Finding, Outcome, ParsedRow, validate
from shared.stationrows import (
    LATITUDE,
    LOCATION,
    LONGITUDE,
    PROVINCE,
    RX,
    TECHNOLOGY,
    TX,
    Gzipper,
    LineWriter,
    blank_contacts,
    encode_fields,
    encode_lines,
    public_fields_of_line,
)
from shared.storage.ports import ObjectStore

LicenceCheck = Callable[[str], Finding | None]
BATCH = 2000
Row = tuple[Any, ...]
Encode = Callable[[list[Any]], Any]


class Cancelled(Exception):
    """The attempt was given up (shutdown, lost lease, a failed write): stop reading."""


def validate_object(store: ObjectStore, key: str, filename: str, today: date,
                    licence_check: LicenceCheck | None) -> Outcome:
    return validate(store.iter_chunks(key), filename=filename, today=today,
                    licence_check=licence_check)


def bridge_check(check: Callable[[str], Coroutine[Any, Any, Finding | None]],
                 loop: asyncio.AbstractEventLoop) -> LicenceCheck:
    """Let the worker thread run an async registry look-up on the event loop."""

    def run(licence: str) -> Finding | None:
        future = asyncio.run_coroutine_threadsafe(check(licence), loop)
        return future.result(timeout=60)

    return run


@dataclass
class FirstRow:
    """A licence's first row in the file: where, and its contact columns C, D, E."""

    line: int
    contact: tuple[str, str, str]


@dataclass
class Batch:
    rows: int
    private: Any  # what the stager writes
    public: bytes  # the next piece of the public copy (gzip-compressed CSV lines)


@dataclass
class Progress:
    """Read by the loop while the worker thread advances it."""

    bytes: int = 0
    rows: int = 0
    applied: int = 0
    cancel: threading.Event = field(default_factory=threading.Event)


class StagingSink:
    """Receives the accepted rows (in the worker thread) and batches them."""

    def __init__(self, upload_id: str, encode: Encode, hand_over: Callable[[Batch], None],
                 progress: Progress) -> None:
        self.firsts: dict[str, FirstRow] = {}
        self._id = upload_id
        self._encode = encode
        self._text = encode is encode_lines  # the store takes CSV text (COPY), not tuples
        self._hand_over = hand_over
        self._progress = progress
        self._private: list[Any] = []  # tuples, or CSV lines when the store takes text
        self._public: list[str] = []
        self._zip = Gzipper()
        self._head = self._zip.head
        self._csv = LineWriter()
        self.stopped = False

    def line(self, line: int, licence: str, body: str) -> None:
        """A row read from a line without quotes: no value holds a comma, a quote or a line
        end, so its CSV lines are written directly (what ``csv.writer`` would write, at a
        fraction of the cost; ``csv.writer`` holds the GIL for a whole batch)."""
        self._progress.rows += 1
        if self.stopped:
            return
        p = body.split(",", 20)
        if licence not in self.firsts:
            self.firsts[licence] = FirstRow(line, (p[2], p[3], p[4]))
        lead = (f"{self._id},{licence},{line},{p[LOCATION]},{p[PROVINCE]},{p[LATITUDE]},"
                f"{p[LONGITUDE]},{p[TECHNOLOGY]},{p[TX]},{p[RX]},")
        if self._text:
            self._private.append(f'{lead}"{body}"\n')
        else:
            self._private.append((self._id, licence, line, p[LOCATION], p[PROVINCE] or None,
                                  p[LATITUDE], p[LONGITUDE], p[TECHNOLOGY] or None,
                                  p[TX] or None, p[RX] or None, body))
        self._public.append(f'{lead}"{public_fields_of_line(body)}"\n')
        if len(self._private) >= BATCH:
            self.flush()

    def row(self, row: ParsedRow) -> None:
        self._progress.rows += 1
        if self.stopped:
            return
        f = row.fields
        if row.licence not in self.firsts:
            self.firsts[row.licence] = FirstRow(row.line, (f[2], f[3], f[4]))
        if row.special is None:
            self._row(row.line, row.licence, f)

    def _row(self, line: int, licence: str, f: Sequence[str]) -> None:
        head = (self._id, licence, line, f[LOCATION], f[PROVINCE] or None, f[LATITUDE],
                f[LONGITUDE], f[TECHNOLOGY] or None, f[TX] or None, f[RX] or None)
        private = (*head, encode_fields(f))
        self._private.append(self._csv.line(private) if self._text else private)
        self._public.append(self._csv.line((*head, encode_fields(blank_contacts(f)))))
        if len(self._private) >= BATCH:
            self.flush()

    def stop(self) -> None:
        self.stopped = True
        self._private, self._public = [], []

    def flush(self, last: bool = False) -> None:
        """Hand the rows gathered so far over (``last``: and end the public copy)."""
        if self.stopped or not (self._private or last):
            return
        public = self._head + self._zip.compress(encode_lines(self._public))
        if last:
            public += self._zip.finish()
        batch = Batch(len(self._private), self._encode(self._private), public)
        self._private, self._public, self._head = [], [], b""
        self._hand_over(batch)


def _metered(chunks: Iterable[bytes], progress: Progress) -> Iterator[bytes]:
    for chunk in chunks:
        if progress.cancel.is_set():
            raise Cancelled("the attempt was given up")
        progress.bytes += len(chunk)
        yield chunk


@dataclass
class Checked:
    outcome: Outcome
    firsts: dict[str, FirstRow]


def check_in_thread(chunks: Iterable[bytes], upload_id: str, filename: str, today: date,
                    licence_check: LicenceCheck, encode: Encode,
                    hand_over: Callable[[Batch], None], progress: Progress) -> Checked:
    """``validate`` with a ``StagingSink``, here (in the worker thread)."""
    sink = StagingSink(upload_id, encode, hand_over, progress)
    outcome = validate(chunks, filename=filename, today=today, licence_check=licence_check,
                       sink=sink)
    sink.flush(last=True)
    return Checked(outcome, sink.firsts)


CheckIn = Callable[..., Checked]  # check_in_thread, or child_check.check_in_child


async def check_and_stage(store: ObjectStore, key: str, upload_id: str, filename: str,
                          today: date, licence_check: LicenceCheck, encode: Encode,
                          write: Callable[[Batch], Coroutine[Any, Any, None]],
                          progress: Progress, check_in: CheckIn = check_in_thread) -> Checked:
    """Validate the object and hand every accepted row to ``write`` in batches, in one read.
    Stops handing rows over at the first error (the file will not be applied)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Batch | None] = asyncio.Queue(maxsize=2)

    def hand_over(batch: Batch) -> None:
        if progress.cancel.is_set():
            raise Cancelled("the attempt was given up")
        asyncio.run_coroutine_threadsafe(queue.put(batch), loop).result()

    def work() -> Checked:
        try:
            return check_in(_metered(store.iter_chunks(key), progress), upload_id, filename,
                            today, licence_check, encode, hand_over, progress)
        finally:
            asyncio.run_coroutine_threadsafe(queue.put(None), loop).result()

    task = loop.run_in_executor(None, work)
    try:
        while (batch := await queue.get()) is not None:
            if not progress.cancel.is_set():
                await write(batch)
                progress.applied += batch.rows
    except BaseException:
        progress.cancel.set()
        while await queue.get() is not None:  # let the thread see the cancel and end
            pass
        raise
    return await task
