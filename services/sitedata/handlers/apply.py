"""Applying validated uploads, one transaction each, in the order they were received."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import structlog
from sqlalchemy import delete, insert

from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import tables as t
from services.sitedata.adapters.publication import publish_stations
from services.sitedata.adapters.rows import stream_rows
from services.sitedata.domain.upload import PROCESSED, Mode, Stage, first_applicable, plan_apply
from services.sitedata.domain.validation import ParsedRow
from shared.events.sitedata import SiteContactChangedV1, StationsReplacedV1, UploadProcessedV1
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.runtime import BackgroundJob
from shared.storage.ports import ObjectStore

log = structlog.get_logger()

# column positions (0-based) of the fields kept beside the full row
_A, _C, _D, _E, _F, _H, _K, _L, _M, _S, _T = 0, 2, 3, 4, 5, 7, 10, 11, 12, 18, 19


def _num(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def station_values(upload_id: str, row: ParsedRow) -> dict[str, Any]:
    f = row.fields
    return {"licence_number": f[_A], "upload_id": upload_id, "line": row.line,
            "location": f[_F], "province": f[_K] or None, "latitude": _num(f[_L]),
            "longitude": _num(f[_M]), "technology": f[_H] or None,
            "tx_frequency": _num(f[_S]), "rx_frequency": _num(f[_T]),
            "fields": json.dumps(f, separators=(",", ":"))}


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
        async with self._uows() as uow:
            return first_applicable(await repo.pending_uploads(uow.session))

    async def apply(self, upload_id: str) -> None:
        async with self._uows(correlation_id=upload_id) as uow:
            upload = await repo.get_upload(uow.session, upload_id)
            now = uow.clock.now()
            if upload is None or not await repo.claim_for_apply(
                    uow.session, upload_id, {"stage": Stage.APPLIED.value, "status": PROCESSED,
                                             "processed_at": now}):
                return
            licences = await repo.upload_licences(uow.session, upload.id)
            contacts, cleared = await self._apply_rows(uow, upload, licences)
            await self._record_filing(uow, upload, licences)
            await self._emit_stations(uow, upload, licences, cleared)
            await self._emit(uow, upload, licences, contacts)
            await uow.commit()
        log.info("upload.applied", upload_id=upload_id, licences=len(licences))

    async def _apply_rows(self, uow: UnitOfWork, upload: Any, licences: list[Any]
                          ) -> tuple[dict[str, tuple[str, str, str]], frozenset[str]]:
        """Clear what the plan says, insert the file's stations; returns each account's contact
        (columns C, D, E of its first row) and the licences that were cleared."""
        account_of = {row.licence_number: row.account_number for row in licences}
        accounts = sorted(set(account_of.values()))
        plan = plan_apply(Mode(upload.mode), {r.licence_number: r.special for r in licences},
                          await repo.licences_of_accounts(uow.session, accounts))
        await repo.clear_stations(uow.session, sorted(plan.clear))
        contacts: dict[str, tuple[str, str, str]] = {}
        async for batch in stream_rows(self._store, upload.object_key, upload.filename,
                                       upload.received_at.date()):
            for row in batch:
                contacts.setdefault(account_of[row.licence],
                                    (row.fields[_C], row.fields[_D], row.fields[_E]))
            await repo.insert_stations(uow.session, [station_values(upload.id, r) for r in batch
                                                     if r.special is None])
        return contacts, plan.clear

    async def _record_filing(self, uow: UnitOfWork, upload: Any, licences: list[Any]) -> None:
        """Every licence in the file was filed for this month (NOCHANGE and NOSTATIONS too)."""
        numbers = [row.licence_number for row in licences]
        await uow.session.execute(delete(t.licence_files).where(
            t.licence_files.c.licence_number.in_(numbers)))
        rows = [{"licence_number": n, "last_upload_id": upload.id,
                 "last_upload_at": upload.received_at,
                 "records": await repo.station_count(uow.session, n)} for n in numbers]
        await uow.session.execute(insert(t.licence_files), rows)

    async def _emit_stations(self, uow: UnitOfWork, upload: Any, licences: list[Any],
                             cleared: frozenset[str]) -> None:
        """One event per licence whose stations on file changed or were confirmed, with the
        public copy of its stations (claim check)."""
        in_file = {row.licence_number: row for row in licences}
        for licence in sorted(set(in_file) | cleared):
            row = in_file.get(licence)
            key = await publish_stations(uow.session, self._store, licence, upload.id)
            await uow.emit(StationsReplacedV1(
                licence_number=licence, upload_id=upload.id, applied_at=uow.clock.now(),
                mode=upload.mode, special=row.special if row else None,
                record_count=row.records if row else 0,
                station_count=await repo.station_count(uow.session, licence),
                object_key=key), subject=licence)

    async def _emit(self, uow: UnitOfWork, upload: Any, licences: list[Any],
                    contacts: dict[str, tuple[str, str, str]]) -> None:
        now = uow.clock.now()
        for account, (name, phone, email) in sorted(contacts.items()):
            await uow.emit(SiteContactChangedV1(account_number=account, contact_name=name,
                                                business_phone=phone, email=email,
                                                upload_id=upload.id), subject=account)
        await uow.emit(UploadProcessedV1(
            upload_id=upload.id, profile_id=upload.profile_id,
            account_number=upload.account_number, status=PROCESSED, mode=upload.mode,
            filename=upload.filename, records=upload.records, error_count=0,
            received_at=upload.received_at, processed_at=now,
            licences={r.licence_number: r.records for r in licences}), subject=upload.id)
