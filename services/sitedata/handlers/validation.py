"""Validating an upload (in parallel with others): findings stored, or the upload made ready."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any

import structlog
from sqlalchemy import insert, update

from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import tables as t
from services.sitedata.adapters.rows import bridge_check, validate_async
from services.sitedata.domain.upload import ERRORS_FOUND, Stage, licence_problem
from services.sitedata.domain.validation import Finding, Outcome
from shared.events.envelope import Envelope, Payload
from shared.events.sitedata import UploadProcessedV1, UploadReceivedV1
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.storage.ports import ObjectStore

log = structlog.get_logger()


def licence_checker(uows: UnitOfWorkFactory, allowed: set[str], today: date
                    ) -> Callable[[str], Coroutine[Any, Any, Finding | None]]:
    async def check(licence: str) -> Finding | None:
        async with uows() as uow:
            record = await repo.licence_record(uow.session, licence)
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


async def _licence_accounts(uow: UnitOfWork, outcome: Outcome) -> dict[str, str]:
    accounts: dict[str, str] = {}
    for licence in outcome.licences:
        record = await repo.licence_record(uow.session, licence)
        if record is not None:
            accounts[licence] = record.account_number
    return accounts


async def _mark_validated(uow: UnitOfWork, upload: Any, outcome: Outcome) -> None:
    accounts = await _licence_accounts(uow, outcome)
    await uow.session.execute(update(t.uploads).where(t.uploads.c.id == upload.id).values(
        stage=Stage.VALIDATED.value, records=outcome.records, encoding=outcome.encoding,
        warning_count=len(outcome.warnings), validated_at=uow.clock.now(),
        accounts=",".join(sorted(set(accounts.values()) | {upload.account_number}))))
    rows = [{"upload_id": upload.id, "licence_number": tally.licence,
             "account_number": accounts[tally.licence], "special": tally.special,
             "records": tally.rows, "stations": tally.stations}
            for tally in outcome.licences.values()]
    if rows:
        await uow.session.execute(insert(t.upload_licences), rows)


async def _mark_rejected(uow: UnitOfWork, upload: Any, outcome: Outcome) -> None:
    now = uow.clock.now()
    await uow.session.execute(update(t.uploads).where(t.uploads.c.id == upload.id).values(
        stage=Stage.REJECTED.value, status=ERRORS_FOUND, records=outcome.records,
        error_count=outcome.error_count, warning_count=len(outcome.warnings),
        capped=outcome.capped, encoding=outcome.encoding, validated_at=now, processed_at=now))
    await uow.emit(UploadProcessedV1(
        upload_id=upload.id, profile_id=upload.profile_id, account_number=upload.account_number,
        status=ERRORS_FOUND, mode=upload.mode, filename=upload.filename, records=outcome.records,
        error_count=outcome.error_count, received_at=upload.received_at, processed_at=now,
        error_codes=dict(Counter(f.code for f in outcome.errors))), subject=upload.id)


class ValidateUpload:
    """Handles ``sitedata.upload.received``: validate; reject, or leave ready for applying."""

    def __init__(self, uows: UnitOfWorkFactory, store: ObjectStore,
                 wake_applier: Callable[[], None]):
        self._uows = uows
        self._store = store
        self._wake_applier = wake_applier

    async def __call__(self, uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        assert isinstance(payload, UploadReceivedV1)
        upload = await repo.get_upload(uow.session, payload.upload_id)
        if upload is None or upload.stage != Stage.RECEIVED.value:
            return
        allowed = set(a for a in upload.accounts.split(",") if a)
        today = upload.received_at.date()
        check = bridge_check(licence_checker(self._uows, allowed, today),
                             asyncio.get_running_loop())
        outcome = await validate_async(self._store, upload.object_key, upload.filename, today,
                                       check)
        findings = _finding_rows(upload.id, "error", outcome.errors)
        findings += _finding_rows(upload.id, "warning", outcome.warnings)
        if findings:
            await uow.session.execute(insert(t.findings), findings)
        if outcome.valid:
            await _mark_validated(uow, upload, outcome)
            uow.after_commit(self._wake_applier)
        else:
            await _mark_rejected(uow, upload, outcome)
        log.info("upload.validated", upload_id=upload.id, valid=outcome.valid,
                 records=outcome.records, errors=outcome.error_count)
