"""Runs the (blocking) validator over a stored object in a worker thread.

Rows the validator accepts are handed back to the event loop in batches through a bounded
queue, so memory stays flat whatever the file size.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import date
from typing import Any

from services.sitedata.domain.validation import Finding, Outcome, ParsedRow, validate
from shared.storage.ports import ObjectStore

LicenceCheck = Callable[[str], Finding | None]
BATCH = 2000


def validate_object(store: ObjectStore, key: str, filename: str, today: date,
                    licence_check: LicenceCheck | None) -> Outcome:
    return validate(store.iter_chunks(key), filename=filename, today=today,
                    licence_check=licence_check)


async def validate_async(store: ObjectStore, key: str, filename: str, today: date,
                         licence_check: Callable[[str], Finding | None] | None) -> Outcome:
    return await asyncio.to_thread(validate_object, store, key, filename, today, licence_check)


def bridge_check(check: Callable[[str], Coroutine[Any, Any, Finding | None]],
                 loop: asyncio.AbstractEventLoop) -> LicenceCheck:
    """Let the worker thread run an async registry look-up on the event loop."""

    def run(licence: str) -> Finding | None:
        future = asyncio.run_coroutine_threadsafe(check(licence), loop)
        return future.result(timeout=60)

    return run


async def stream_rows(store: ObjectStore, key: str, filename: str,
                      today: date) -> AsyncIterator[list[ParsedRow]]:
    """Every accepted row of the object, in file order, in batches."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[list[ParsedRow] | BaseException | None] = asyncio.Queue(maxsize=4)
    batch: list[ParsedRow] = []

    def put(item: list[ParsedRow] | BaseException | None) -> None:
        asyncio.run_coroutine_threadsafe(queue.put(item), loop).result()

    def on_row(row: ParsedRow) -> None:
        batch.append(row)
        if len(batch) >= BATCH:
            put(list(batch))
            batch.clear()

    def work() -> None:
        try:
            validate(store.iter_chunks(key), filename=filename, today=today, on_row=on_row)
            if batch:
                put(list(batch))
            put(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            put(exc)

    task = loop.run_in_executor(None, work)
    while (item := await queue.get()) is not None:
        if isinstance(item, BaseException):
            raise item
        yield item
    await task
