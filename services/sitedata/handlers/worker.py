"""The checker: takes uploads waiting in the database (several at a time, one per account),
runs each attempt under a lease it renews with the progress, and gives the lease back when an
attempt fails or the process stops. An upload that failed ``max_attempts`` times ends
``Errors Found`` with a finding that says so (and its e-mail): never stuck, never silent.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import delete

from services.sitedata.adapters import leases
from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import tables as t
from services.sitedata.adapters.rows import Progress
from services.sitedata.domain.upload import Stage
from services.sitedata.domain.validation import Code, Outcome
from services.sitedata.domain.validation.findings import file_finding
from services.sitedata.handlers.checking import CheckUpload, mark_rejected, store_findings
from shared.messaging.uow import UnitOfWorkFactory
from shared.runtime import BackgroundJob
from shared.storage.ports import ObjectStore

log = structlog.get_logger()


@dataclass(frozen=True)
class CheckerSettings:
    parallel: int = 3  # uploads checked at once by one process (one per account)
    lease_s: float = 15.0  # a worker silent this long is taken over
    heartbeat_s: float = 0.5  # progress written and lease renewed this often
    max_attempts: int = 5
    retry_backoff_s: float = 2.0  # a failed attempt is retried after 2, 4, 8 ... s (60 s at most)
    sweep_s: float = 1.0  # how often the database is looked at without a wake-up
    release_on_start: bool = False  # the only worker (embedded): free every lease at start
    child_over_bytes: int = 0  # a bigger file is checked in a child process (0: never)


def failed_outcome(attempts: int) -> Outcome:
    finding = file_finding(
        Code.PROCESSING_FAILED,
        f"We could not finish checking this file ({attempts} attempts). Nothing from it was "
        "applied. Upload it again; if this happens again, contact the Spectrum Management "
        "System help desk and quote this upload's number.")
    return Outcome(records=0, errors=[finding], error_count=1, capped=False, warnings=[])


class UploadChecker(BackgroundJob):
    name = "sitedata.checker"

    def __init__(self, uows: UnitOfWorkFactory, store: ObjectStore,
                 on_validated: Callable[[], None], settings: CheckerSettings | None = None):
        self._uows = uows
        self._store = store
        self._on_validated = on_validated
        self.settings = settings or CheckerSettings()
        self.interval_s = self.settings.sweep_s
        self.owner = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._running: dict[str, asyncio.Task[None]] = {}
        self._progress: dict[str, Progress] = {}
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self, stop: asyncio.Event) -> None:
        if self.settings.release_on_start:
            async with self._uows.autocommit() as db:
                freed = await leases.release_all(db)
            if freed:
                log.info("upload.leases_freed", uploads=freed)
        try:
            while not stop.is_set():
                try:
                    await self.fill()
                except Exception:  # noqa: BLE001 - the database may be away: look again
                    log.exception("upload.claim_failed")
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(_first(self._wake, stop), self.interval_s)
        finally:
            await self.shutdown()

    async def run_once(self) -> None:
        """Check everything that can be checked now, and wait for it (tests)."""
        await self.fill()
        while self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)
            await self.fill()

    async def fill(self) -> None:
        while len(self._running) < self.settings.parallel:
            lease = timedelta(seconds=self.settings.lease_s)
            async with self._uows() as uow:
                claim = await leases.claim_next(uow.session, self.owner, uow.clock.now(),
                                                lease, exclude=set(self._running))
                await uow.commit()
            if claim is None:
                return
            if claim.attempts > self.settings.max_attempts:
                await self._give_up(claim.upload_id, claim.attempts - 1)
                continue
            progress = Progress()
            self._progress[claim.upload_id] = progress
            self._running[claim.upload_id] = asyncio.create_task(
                self._attempt(claim, progress), name=f"check-{claim.upload_id}")

    async def _attempt(self, claim: leases.Claim, progress: Progress) -> None:
        upload_id = claim.upload_id
        beat = asyncio.create_task(self._heartbeat(upload_id, progress))
        try:
            job = CheckUpload(self._uows, self._store, self.owner, upload_id, progress,
                              self.settings.child_over_bytes)
            if await job.run():
                self._on_validated()
        except asyncio.CancelledError:
            await self._release(upload_id, 0.0)
            raise
        except Exception:  # noqa: BLE001 - retried after a pause, up to max_attempts
            log.exception("upload.check_failed", upload_id=upload_id, attempt=claim.attempts)
            backoff = self.settings.retry_backoff_s * 2.0 ** (claim.attempts - 1)
            await self._release(upload_id, min(backoff, 60.0))
        finally:
            beat.cancel()
            self._running.pop(upload_id, None)
            self._progress.pop(upload_id, None)
            self._wake.set()  # a lane is free: take the next upload now, not at the sweep

    async def _heartbeat(self, upload_id: str, progress: Progress) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_s)
            until = self._uows.clock.now() + timedelta(seconds=self.settings.lease_s)
            values = {"checked_rows": progress.rows, "checked_bytes": progress.bytes,
                      "applied_rows": progress.applied}
            try:
                async with self._uows.autocommit() as db:
                    mine = await leases.renew(db, upload_id, self.owner, until, values)
            except Exception:  # noqa: BLE001 - try again at the next beat
                log.warning("upload.heartbeat_failed", upload_id=upload_id, exc_info=True)
                continue
            if not mine:
                log.warning("upload.lease_lost", upload_id=upload_id)
                progress.cancel.set()
                task = self._running.get(upload_id)
                if task is not None:
                    task.cancel()
                return

    async def _release(self, upload_id: str, after_s: float) -> None:
        retry_at = self._uows.clock.now() + timedelta(seconds=after_s) if after_s else None
        try:
            async with self._uows.autocommit() as db:
                await leases.release(db, upload_id, self.owner, retry_at)
        except Exception:  # noqa: BLE001 - the lease then runs out by itself
            log.warning("upload.release_failed", upload_id=upload_id, exc_info=True)

    async def _give_up(self, upload_id: str, attempts: int) -> None:
        async with self._uows(correlation_id=upload_id) as uow:
            upload = await repo.get_upload(uow.session, upload_id)
            if upload is None or upload.stage != Stage.RECEIVED.value:
                return
            outcome = failed_outcome(attempts)
            await uow.session.execute(delete(t.stations).where(t.stations.c.upload_id ==
                                                               upload_id))
            await store_findings(uow, upload_id, outcome)
            await mark_rejected(uow, upload, outcome)
            await uow.commit()
        log.error("upload.given_up", upload_id=upload_id, attempts=attempts)

    async def shutdown(self, grace_s: float = 8.0) -> None:
        """Stop every attempt and give its upload back (another worker, or this one after a
        restart, starts it again), within ``grace_s``."""
        for upload_id, task in list(self._running.items()):
            progress = self._progress.get(upload_id)
            if progress is not None:
                progress.cancel.set()
            task.cancel()
        if self._running:
            await asyncio.wait(list(self._running.values()), timeout=grace_s)


async def _first(*events: asyncio.Event) -> None:
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
