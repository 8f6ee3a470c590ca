"""The public copy of an upload's station rows, in the object store (claim check of
``sitedata.stations.replaced`` v2; the format is ``shared.stationrows``).

It is written while the file is checked, from the same batches as the stored rows, so the
object is read once and written once. Contact columns C, D and E are blank: station
technical data is public, contacts never are.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.sitedata.adapters import tables as t
from shared.stationrows import (
    Gzipper,
    blank_contacts,
    csv_lines,
    decode_fields,
    encode_fields,
    public_key,
)
from shared.storage.ports import ObjectStore

CONTENT_TYPE = "application/gzip"


class PublicRows:
    """Streams CSV lines into one object while they come; nothing is stored if discarded."""

    def __init__(self, store: ObjectStore, upload_id: str) -> None:
        self.key = public_key(upload_id)
        self._store = store
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=3)
        self._task: asyncio.Task[Any] | None = None

    async def begin(self) -> None:
        async def chunks() -> AsyncIterator[bytes]:
            while (data := await self._queue.get()) is not None:
                yield data

        self._task = asyncio.create_task(self._store.put_stream(
            self.key, chunks(), content_type=CONTENT_TYPE))

    async def _put(self, item: bytes | None) -> None:
        assert self._task is not None
        put = asyncio.ensure_future(self._queue.put(item))
        done, _ = await asyncio.wait({put, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if put not in done:
            put.cancel()
            self._task.result()  # the store failed: say why
            raise RuntimeError("the public copy stopped taking rows")

    async def write(self, data: bytes) -> None:
        await self._put(data)

    async def finish(self) -> str:
        assert self._task is not None
        await self._put(None)
        await self._task
        return self.key

    async def discard(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        await self._store.delete(self.key)


async def ensure_public(session: AsyncSession, store: ObjectStore, upload_id: str,
                        known: str | None) -> str:
    """The public copy of an upload applied before copies were written while checking
    (written now from the stored rows); the key."""
    if known:
        return known
    rows = await session.stream(select(t.stations).where(t.stations.c.upload_id == upload_id)
                                .order_by(t.stations.c.id))

    async def chunks() -> AsyncIterator[bytes]:
        gzip = Gzipper()
        yield gzip.head
        batch: list[tuple[Any, ...]] = []
        async for r in rows:
            batch.append((r.upload_id, r.licence_number, r.line, r.location, r.province,
                          r.latitude, r.longitude, r.technology, r.tx_frequency,
                          r.rx_frequency, encode_fields(blank_contacts(decode_fields(r.fields)))))
            if len(batch) >= 1000:
                yield gzip.compress(csv_lines(batch))
                batch = []
        yield gzip.compress(csv_lines(batch)) + gzip.finish()

    key = public_key(upload_id)
    await store.put_stream(key, chunks(), content_type=CONTENT_TYPE)
    await session.execute(update(t.uploads).where(t.uploads.c.id == upload_id)
                          .values(public_key=key))
    return key
