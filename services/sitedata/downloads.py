"""Downloads the API and the pages both offer."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi.responses import StreamingResponse

from services.sitedata.adapters import views
from shared.messaging.uow import UnitOfWorkFactory


def stations_download(uows: UnitOfWorkFactory, upload_id: str) -> StreamingResponse:
    async def body() -> AsyncIterator[str]:
        async with uows.reading() as db:
            async for chunk in views.upload_stations_csv(db, upload_id):
                yield chunk

    return StreamingResponse(body(), media_type="text/csv", headers={
        "content-disposition": f'attachment; filename="stations-{upload_id}.csv"'})
