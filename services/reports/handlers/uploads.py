"""The operations read model of uploads and each licence's last filing, fed by
``sitedata.upload.processed``; in embedded mode also the dashboard's stored days (on the real
stack the faust worker folds them: ``services/reports/streaming.py``)."""

from __future__ import annotations

import json

from sqlalchemy import select

from services.reports.adapters import dashboard_store
from services.reports.adapters import tables as t
from services.reports.domain.dashboard import Tally, UploadFacts
from shared.db.upsert import upsert
from shared.events import sitedata as se
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork

PROCESSED = "Processed"


async def _record_filings(uow: UnitOfWork, payload: se.UploadProcessedV1) -> None:
    """Every licence in a processed file was filed (NOSTATIONS and NOCHANGE too)."""
    for licence in sorted(payload.licences):
        known = (await uow.session.execute(select(t.filings.c.last_upload_at).where(
            t.filings.c.licence_number == licence))).scalar()
        if known is not None and known >= payload.received_at:
            continue
        await upsert(uow.session, t.filings, {
            "licence_number": licence, "last_upload_id": payload.upload_id,
            "last_upload_at": payload.received_at}, ("licence_number",))


def upload_facts(payload: se.UploadProcessedV1) -> UploadFacts:
    """What the dashboard keeps of a finished upload (the embedded consumer and faust alike)."""
    seconds = (payload.processed_at - payload.received_at).total_seconds()
    return UploadFacts(payload.upload_id, payload.received_at.date().isoformat(),
                       payload.status, seconds, dict(payload.error_codes))


async def fold_into_day(uow: UnitOfWork, facts: UploadFacts) -> None:
    """The embedded fold: the stored day, ``Tally.add``, stored again."""
    stored = await dashboard_store.load_day_for_update(uow.session, facts.day)
    tally = Tally.of_days([stored])
    tally.add(facts)
    await dashboard_store.save_day(uow.session, tally.day(facts.day))


async def _logged(uow: UnitOfWork, upload_id: str) -> bool:
    return (await uow.session.execute(select(t.upload_log.c.upload_id).where(
        t.upload_log.c.upload_id == upload_id))).first() is not None


async def _log(uow: UnitOfWork, payload: se.UploadProcessedV1) -> None:
    await upsert(uow.session, t.upload_log, {
        "upload_id": payload.upload_id, "account_number": payload.account_number,
        "status": payload.status, "mode": payload.mode, "records": payload.records,
        "error_count": payload.error_count,
        "error_codes": json.dumps(payload.error_codes, sort_keys=True),
        "received_day": payload.received_at.date().isoformat(),
        "received_at": payload.received_at, "processed_at": payload.processed_at},
        ("upload_id",))


def upload_handlers(fold_dashboard: bool) -> dict[str, EventHandler]:
    """``fold_dashboard`` is False where the faust worker keeps the dashboard (real stack)."""

    async def on_upload_processed(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
        assert isinstance(payload, se.UploadProcessedV1)
        first = not await _logged(uow, payload.upload_id)
        await _log(uow, payload)
        if first and fold_dashboard:
            await fold_into_day(uow, upload_facts(payload))
        if payload.status == PROCESSED:
            await _record_filings(uow, payload)

    return {se.UploadProcessedV1.TYPE: on_upload_processed}
