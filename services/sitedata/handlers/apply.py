"""Applying validated uploads, one transaction each, in the order they were received.

The rows are already stored (written while the file was checked); applying moves pointers:
``licence_stations`` names, per licence, the uploads whose rows are its stations on file.
So a Replace of 164,000 rows is a handful of statements, and every earlier upload keeps the
rows it sent. The same transaction records each licence's filing and emits
``sitedata.stations.replaced`` (v2) per licence, ``sitedata.contact.changed`` per account and
``sitedata.upload.processed``; ``processed_at`` is this moment.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from services.sitedata.adapters import apply_store as store_ops
from services.sitedata.adapters import repository as repo
from services.sitedata.adapters.publication import ensure_public
from services.sitedata.domain.upload import PROCESSED, Mode, Stage, first_applicable, plan_apply
from shared.events.sitedata import (
    SiteContactChangedV1,
    StationSource,
    StationsReplacedV2,
    UploadProcessedV1,
)
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.runtime import BackgroundJob
from shared.storage.ports import ObjectStore

log = structlog.get_logger()


class Applier(BackgroundJob):
    """Applies every upload that is ready; woken after each validation, and swept periodically
    so an upload validated by a worker that died before applying is still applied."""

    name = "sitedata.applier"

    def __init__(self, uows: UnitOfWorkFactory, store: ObjectStore, interval_s: float = 2.0):
        self._uows = uows
        self._store = store
        self.interval_s = interval_s
        self._lock = asyncio.Lock()
        self._woken: set[asyncio.Task[None]] = set()

    async def run_once(self) -> None:
        async with self._lock:
            while (upload_id := await self._next()) is not None:
                await self.apply(upload_id)

    def wake(self) -> None:
        """Apply what is ready now, in the background; a failure is left to the next sweep."""
        task = asyncio.get_running_loop().create_task(self._run_logged())
        self._woken.add(task)
        task.add_done_callback(self._woken.discard)

    async def _run_logged(self) -> None:
        try:
            await self.run_once()
        except Exception:  # noqa: BLE001 - the periodic sweep retries
            log.exception("upload.apply_failed")

    async def _next(self) -> str | None:
        async with self._uows.reading() as db:
            return first_applicable(await repo.pending_uploads(db))

    async def apply(self, upload_id: str) -> None:
        async with self._uows(correlation_id=upload_id) as uow:
            upload = await repo.get_upload(uow.session, upload_id)
            now = uow.clock.now()
            if upload is None or not await repo.claim_for_apply(
                    uow.session, upload_id, {"stage": Stage.APPLIED.value, "status": PROCESSED,
                                             "processed_at": now}):
                return
            licences = await repo.upload_licences(uow.session, upload.id)
            cleared = await self._swap(uow, upload, licences)
            counts = await store_ops.station_counts(uow.session, [r.licence_number
                                                                  for r in licences])
            await store_ops.record_filing(uow.session, upload, licences, counts)
            await self._emit_stations(uow, upload, licences, cleared)
            await self._emit(uow, upload, licences)
            await uow.commit()
        log.info("upload.applied", upload_id=upload_id, licences=len(licences),
                 rows=upload.records)

    async def _swap(self, uow: UnitOfWork, upload: Any, licences: list[Any]) -> frozenset[str]:
        """Point each licence at its new stations; returns the licences emptied or replaced."""
        accounts = sorted({row.account_number for row in licences})
        plan = plan_apply(Mode(upload.mode), {r.licence_number: r.special for r in licences},
                          await repo.licences_of_accounts(uow.session, accounts))
        await store_ops.point(uow.session, upload.id, plan.clear, plan.insert)
        return plan.clear

    async def _emit_stations(self, uow: UnitOfWork, upload: Any, licences: list[Any],
                             cleared: frozenset[str]) -> None:
        """One event per licence whose stations on file changed or were confirmed, naming the
        uploads whose public rows make them up (claim check)."""
        in_file = {row.licence_number: row for row in licences}
        changed = sorted(set(in_file) | cleared)
        sources = await store_ops.sources_of(uow.session, changed)
        now = uow.clock.now()
        for licence in changed:
            row = in_file.get(licence)
            refs = []
            for source in sources.get(licence, []):
                key = await ensure_public(uow.session, self._store, source.upload_id,
                                          source.public_key)
                refs.append(StationSource(upload_id=source.upload_id, object_key=key,
                                          rows=source.records))
            await uow.emit(StationsReplacedV2(
                licence_number=licence, upload_id=upload.id, applied_at=now, mode=upload.mode,
                special=row.special if row else None, record_count=row.records if row else 0,
                station_count=sum(r.rows for r in refs), sources=refs), subject=licence)

    async def _emit(self, uow: UnitOfWork, upload: Any, licences: list[Any]) -> None:
        now = uow.clock.now()
        firsts: dict[str, Any] = {}
        for row in sorted(licences, key=lambda r: r.first_line or 0):
            firsts.setdefault(row.account_number, row)
        for account, row in sorted(firsts.items()):
            if row.contact_name is None:
                continue
            await uow.emit(SiteContactChangedV1(
                account_number=account, contact_name=row.contact_name,
                business_phone=row.business_phone or "", email=row.email or "",
                upload_id=upload.id), subject=account)
        await uow.emit(UploadProcessedV1(
            upload_id=upload.id, profile_id=upload.profile_id,
            account_number=upload.account_number, status=PROCESSED, mode=upload.mode,
            filename=upload.filename, records=upload.records, error_count=0,
            received_at=upload.received_at, processed_at=now,
            licences={r.licence_number: r.records for r in licences}), subject=upload.id)
