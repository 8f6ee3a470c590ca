"""One attempt at an upload: check the file and write its stations in the same pass.

Valid: the rows are stored (out of sight until applied), the public copy is written, the
upload becomes *validated* and the applier is woken. Invalid: nothing of its rows remains,
the findings are stored, the upload ends ``Errors Found`` and ``sitedata.upload.processed``
is emitted. Either verdict is committed only while this worker still holds the upload's lease.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any

import structlog
from sqlalchemy import insert, update

from services.sitedata.adapters import leases
from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import tables as t
from services.sitedata.adapters.child_check import check_in_child
from services.sitedata.adapters.publication import PublicRows
from services.sitedata.adapters.rows import (
    Batch,
    Checked,
    Progress,
    bridge_check,
    check_and_stage,
    check_in_thread,
)
from services.sitedata.adapters.staging import Stager, open_stager
from services.sitedata.domain.upload import ERRORS_FOUND, Stage, licence_problem
from services.sitedata.domain.validation import Finding, Outcome
from shared.events.sitedata import UploadProcessedV1
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.storage.ports import ObjectStore

log = structlog.get_logger()


def licence_checker(uows: UnitOfWorkFactory, allowed: set[str], today: date
                    ) -> Callable[[str], Coroutine[Any, Any, Finding | None]]:
    async def check(licence: str) -> Finding | None:
        async with uows.reading() as db:
            record = await repo.licence_record(db, licence)
        problem = licence_problem(licence, record, allowed, today)
        if problem is None:
            return None
        return Finding(line=None, column="A", column_name="Spectrum licence number",
                       value=licence, code=problem[0], message=problem[1])

    return check


def _finding_rows(upload_id: str, severity: str, items: list[Finding]) -> list[dict[str, Any]]:
    return [{"upload_id": upload_id, "severity": severity, "line": f.line, "column": f.column,
             "column_name": f.column_name, "value": f.value, "code": f.code,
             "message": f.message} for f in items]


async def store_findings(uow: UnitOfWork, upload_id: str, outcome: Outcome) -> None:
    findings = _finding_rows(upload_id, "error", outcome.errors)
    findings += _finding_rows(upload_id, "warning", outcome.warnings)
    if findings:
        await uow.session.execute(insert(t.findings), findings)


async def mark_validated(uow: UnitOfWork, upload: Any, checked: Checked, key: str,
                         rows: int) -> None:
    outcome = checked.outcome
    accounts: dict[str, str] = {}
    for licence in outcome.licences:
        record = await repo.licence_record(uow.session, licence)
        if record is not None:
            accounts[licence] = record.account_number
    await uow.session.execute(update(t.uploads).where(t.uploads.c.id == upload.id).values(
        stage=Stage.VALIDATED.value, records=outcome.records, encoding=outcome.encoding,
        warning_count=len(outcome.warnings), validated_at=uow.clock.now(), public_key=key,
        checked_rows=outcome.records, checked_bytes=upload.size, applied_rows=rows,
        lease_owner=None, lease_until=None,
        accounts=",".join(sorted(set(accounts.values()) | {upload.account_number}))))
    rows_of = []
    for tally in outcome.licences.values():
        first = checked.firsts.get(tally.licence)
        contact = first.contact if first else (None, None, None)
        rows_of.append({
            "upload_id": upload.id, "licence_number": tally.licence,
            "account_number": accounts[tally.licence], "special": tally.special,
            "records": tally.rows, "stations": tally.stations,
            "first_line": first.line if first else None, "contact_name": contact[0],
            "business_phone": contact[1], "email": contact[2]})
    if rows_of:
        await uow.session.execute(insert(t.upload_licences), rows_of)


async def mark_rejected(uow: UnitOfWork, upload: Any, outcome: Outcome) -> None:
    now = uow.clock.now()
    await uow.session.execute(update(t.uploads).where(t.uploads.c.id == upload.id).values(
        stage=Stage.REJECTED.value, status=ERRORS_FOUND, records=outcome.records,
        error_count=outcome.error_count, warning_count=len(outcome.warnings),
        capped=outcome.capped, encoding=outcome.encoding, validated_at=now, processed_at=now,
        checked_rows=outcome.records, checked_bytes=upload.size, applied_rows=0,
        lease_owner=None, lease_until=None))
    await uow.emit(UploadProcessedV1(
        upload_id=upload.id, profile_id=upload.profile_id, account_number=upload.account_number,
        status=ERRORS_FOUND, mode=upload.mode, filename=upload.filename, records=outcome.records,
        error_count=outcome.error_count, received_at=upload.received_at, processed_at=now,
        error_codes=dict(Counter(f.code for f in outcome.errors))), subject=upload.id)


class CheckUpload:
    """One attempt, under the lease ``owner`` holds; ``progress`` is read by the heartbeat."""

    def __init__(self, uows: UnitOfWorkFactory, store: ObjectStore, owner: str,
                 upload_id: str, progress: Progress, child_over_bytes: int = 0) -> None:
        self._uows = uows
        self._child_over = child_over_bytes
        self._store = store
        self._owner = owner
        self.upload_id = upload_id
        self.progress = progress

    async def run(self) -> bool:
        """True when a verdict was committed (valid: the upload waits for the applier)."""
        async with self._uows(correlation_id=self.upload_id) as uow:
            upload = await repo.get_upload(uow.session, self.upload_id)
            if upload is None or upload.stage != Stage.RECEIVED.value:
                return False
            stager = open_stager(uow.session, self._uows.engine, upload.id)
            public = PublicRows(self._store, upload.id)
            try:
                checked = await self._check(upload, stager, public)
            except BaseException:
                await _quietly(stager.discard(), public.discard())
                raise
            return await self._verdict(uow, upload, checked, stager, public)

    async def _check(self, upload: Any, stager: Stager, public: PublicRows) -> Checked:
        await stager.begin()
        await public.begin()
        allowed = {a for a in upload.accounts.split(",") if a}
        today = upload.received_at.date()
        check = bridge_check(licence_checker(self._uows, allowed, today),
                             asyncio.get_running_loop())

        async def write(batch: Batch) -> None:
            if batch.rows:
                await stager.write(batch.private)
            await public.write(batch.public)

        in_child = 0 < self._child_over < (upload.size or 0)
        return await check_and_stage(self._store, upload.object_key, upload.id,
                                     upload.filename, today, check, stager.encode, write,
                                     self.progress,
                                     check_in_child if in_child else check_in_thread)

    async def _verdict(self, uow: UnitOfWork, upload: Any, checked: Checked, stager: Stager,
                       public: PublicRows) -> bool:
        outcome = checked.outcome
        if outcome.valid:
            await stager.finish()
            key = await public.finish()
        else:
            await _quietly(stager.discard(), public.discard())
        if not await leases.still_mine(uow.session, upload.id, self._owner):
            # another attempt owns it now; ours rolls back (what SQLite batches wrote, the
            # next attempt deletes before it starts)
            log.warning("upload.lease_lost", upload_id=upload.id)
            return False
        await store_findings(uow, upload.id, outcome)
        if outcome.valid:
            await mark_validated(uow, upload, checked, key, self.progress.applied)
        else:
            await mark_rejected(uow, upload, outcome)
        await uow.commit()
        log.info("upload.validated", upload_id=upload.id, valid=outcome.valid,
                 records=outcome.records, errors=outcome.error_count)
        return outcome.valid


async def _quietly(*steps: Coroutine[Any, Any, Any]) -> None:
    """Clean-up that must not hide the error being raised."""
    for step in steps:
        try:
            await step
        except Exception:  # noqa: BLE001 - logged; the original error goes on
            log.warning("upload.cleanup_failed", exc_info=True)
