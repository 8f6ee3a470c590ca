"""Waiting for an upload to end: an API client may ask for an upload's status and be answered
as soon as it is Processed or Errors Found (a long poll) instead of asking again every second.

However many clients wait, one query a tick asks the database which of their uploads ended;
the checker and the applier may run in another process, so the database is what they share.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from services.sitedata.adapters import repository as repo
from shared.messaging.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)

TICK_S = 0.1
MAX_WAIT_S = 30.0
CHUNK = 500  # uploads asked about in one query (SQLite takes at most 999 parameters)


class UploadEnds:
    def __init__(self, uows: UnitOfWorkFactory, tick_s: float = TICK_S):
        self._uows = uows
        self._tick_s = tick_s
        self._waiting: dict[str, list[asyncio.Future[None]]] = {}
        self._watch: asyncio.Task[None] | None = None
        self._released = False

    @property
    def watching(self) -> bool:
        """Whether the database is being asked (only while somebody waits)."""
        return self._watch is not None and not self._watch.done()

    def release(self) -> None:
        """The process is stopping: every wait returns now, and any later one at once."""
        self._released = True
        self._answer(list(self._waiting))

    async def wait(self, upload_id: str, seconds: float) -> None:
        """Return when the upload has ended, or after ``seconds`` (at most ``MAX_WAIT_S``)."""
        if self._released:
            return
        ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(upload_id, []).append(ended)
        if self._watch is None or self._watch.done():
            self._watch = asyncio.create_task(self._run(), name="sitedata-upload-ends")
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended, min(seconds, MAX_WAIT_S))
        finally:
            waiters = self._waiting.get(upload_id, [])
            if ended in waiters:
                waiters.remove(ended)
            if not waiters:
                self._waiting.pop(upload_id, None)

    def _answer(self, upload_ids: list[str]) -> None:
        for upload_id in upload_ids:
            for waiter in self._waiting.get(upload_id, []):
                if not waiter.done():
                    waiter.set_result(None)

    async def _run(self) -> None:
        while True:  # started by a wait; ends once nobody waits
            await asyncio.sleep(self._tick_s)
            if not self._waiting:
                return
            try:
                self._answer(await self._ended(list(self._waiting)))
            except Exception:  # the database is away: the waiters' own deadlines still hold
                log.warning("sitedata.upload_ends.query_failed", exc_info=True)

    async def _ended(self, waited: list[str]) -> list[str]:
        ended: list[str] = []
        async with self._uows.reading() as db:
            for at in range(0, len(waited), CHUNK):
                ended += await repo.ended_among(db, waited[at:at + CHUNK])
        return ended
