"""The public copy of a licence's stations on file, written to the object store (claim check).

``sitedata.stations.replaced`` names the object; the reports service reads it. Contact columns
C, D and E are blanked: station technical data is public, contacts never are.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.sitedata.adapters import tables as t
from shared.storage.ports import ObjectStore

CONTACT_COLUMNS = (2, 3, 4)
_KEYS = ("licence_number", "location", "province", "latitude", "longitude", "technology",
         "tx_frequency", "rx_frequency", "line")


def public_line(row: Any) -> str:
    fields = json.loads(row.fields)
    for index in CONTACT_COLUMNS:
        fields[index] = ""
    record = {key: getattr(row, key) for key in _KEYS}
    record["fields"] = fields
    return json.dumps(record, separators=(",", ":"))


async def publish_stations(session: AsyncSession, store: ObjectStore, licence: str,
                           upload_id: str) -> str | None:
    """Write the licence's stations as JSON lines; None when it has none."""
    rows = await session.stream(select(t.stations).where(t.stations.c.licence_number == licence)
                                .order_by(t.stations.c.id))
    key = f"public/stations/{licence}/{upload_id}.jsonl"

    async def chunks() -> Any:
        buffer: list[str] = []
        async for row in rows:
            buffer.append(public_line(row))
            if len(buffer) >= 1000:
                yield ("\n".join(buffer) + "\n").encode()
                buffer.clear()
        if buffer:
            yield ("\n".join(buffer) + "\n").encode()

    stored = await store.put_stream(key, chunks(), content_type="application/x-ndjson")
    if stored.size == 0:
        await store.delete(key)
        return None
    return key
