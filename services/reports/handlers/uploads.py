"""The operations read model of uploads and each licence's last filing, fed by
``sitedata.upload.processed``."""

from __future__ import annotations

import json

from sqlalchemy import select

from services.reports.adapters import tables as t
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


async def on_upload_processed(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, se.UploadProcessedV1)
    await upsert(uow.session, t.upload_log, {
        "upload_id": payload.upload_id, "account_number": payload.account_number,
        "status": payload.status, "mode": payload.mode, "records": payload.records,
        "error_count": payload.error_count,
        "error_codes": json.dumps(payload.error_codes, sort_keys=True),
        "received_day": payload.received_at.date().isoformat(),
        "received_at": payload.received_at, "processed_at": payload.processed_at},
        ("upload_id",))
    if payload.status == PROCESSED:
        await _record_filings(uow, payload)


HANDLERS: dict[str, EventHandler] = {se.UploadProcessedV1.TYPE: on_upload_processed}
