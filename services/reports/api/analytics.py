"""Policy analytics: the event contracts, the public change feed and "as of" snapshots."""


import asyncio
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response, StreamingResponse

from services.reports.adapters import views
from services.reports.adapters.export import csv_stream, parquet_bytes
from services.reports.api import schemas as s
from services.reports.context import ReportsContext
from services.reports.queries import event_documents
from shared.errors import NotFoundError
from shared.web.paging import Page, Paging

STATION_HEADER = ("licence_number", "location", "province", "latitude", "longitude",
                  "technology", "tx_frequency", "rx_frequency", "line", "upload_id", "valid_from")
LICENCE_HEADER = ("licence_number", "licensee_name", "kind", "status", "service",
                  "service_area", "issued_on", "expires_on", "valid_from")
FORMATS = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def end_of(day: date) -> datetime:
    """The state "as of" a date is the state at the end of that day (UTC)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def _csv_response(name: str, day: date, header: tuple[str, ...], rows: list[Any]) -> Response:
    return StreamingResponse(csv_stream(header, (tuple(r) for r in rows)),
                             media_type=FORMATS["csv"], headers={
                                 "content-disposition":
                                 f'attachment; filename="{name}-{day.isoformat()}.csv"'})


def build_analytics_router(ctx: ReportsContext) -> APIRouter:
    router = APIRouter(prefix="/api/reports", tags=["reports: analytics"])

    @router.get("/events", response_model=Page[s.EventDocView],
                summary="The AsyncAPI document and the JSON Schema of every event")
    async def events(paging: Paging) -> Page[s.EventDocView]:
        names = sorted(event_documents())
        chosen = names[paging.offset:paging.offset + paging.limit]
        return Page(items=[s.EventDocView(name=n, url=f"/api/reports/events/{n}")
                           for n in chosen], total=len(names), limit=paging.limit,
                    offset=paging.offset)

    @router.get("/events/{name:path}", response_class=FileResponse,
                summary="One event document (asyncapi.json or schemas/<type>.v<n>.json)")
    async def event_document(name: str) -> FileResponse:
        path = event_documents().get(name)
        if path is None:
            raise NotFoundError("RP-EVENT-DOC-NOT-FOUND", "No such event document.",
                                fix="See GET /api/reports/events for the list.")
        return FileResponse(path, media_type="application/json")

    @router.get("/public/changes", response_model=Page[s.ChangeView],
                summary="Public change feed of licences and stations, by sequence number")
    async def changes(paging: Paging, after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0
                      ) -> Page[s.ChangeView]:
        async with ctx.uows() as uow:
            rows, total = await views.changes(uow.session, after, paging.limit)
        return Page(items=[s.ChangeView(seq=r.seq, kind=r.kind, licence_number=r.licence_number,
                                        change=r.change, at=r.at, data=json.loads(r.data))
                           for r in rows], total=total, limit=paging.limit, offset=after)

    @router.get("/public/snapshots/{dataset}.{fmt}", response_class=Response,
                summary="Stations or licences as they were at the end of a date (CSV, Parquet)")
    async def snapshot(dataset: str, fmt: str, as_of: Annotated[date | None, Query()] = None
                       ) -> Response:
        if dataset not in ("stations", "licences") or fmt not in FORMATS:
            raise NotFoundError("RP-SNAPSHOT-UNKNOWN", "No such snapshot.",
                                fix="Use stations or licences, as .csv or .parquet.")
        day = as_of or ctx.clock.today()
        header: tuple[str, ...]
        async with ctx.uows() as uow:
            if dataset == "stations":
                rows, header = await views.stations_as_of(uow.session, end_of(day)), STATION_HEADER
            else:
                rows, header = await views.licences_as_of(uow.session, end_of(day)), LICENCE_HEADER
        if fmt == "parquet":
            body = await asyncio.to_thread(parquet_bytes, header, [tuple(r) for r in rows])
            return Response(body, media_type=FORMATS[fmt], headers={
                "content-disposition": f'attachment; filename="{dataset}-{day}.parquet"'})
        return _csv_response(dataset, day, header, list(rows))

    return router
