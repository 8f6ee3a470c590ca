"""The public Site Data Browser and licence list: technical data only, never contacts."""


from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse

from services.reports.adapters import svg, views
from services.reports.adapters.export import csv_stream
from services.reports.api import schemas as s
from services.reports.context import ReportsContext
from services.reports.domain.search import StationQuery
from services.reports.queries import StationView, public_fields, station_query, station_view
from shared.web.paging import Page, Paging

LETTERS = [chr(65 + i) for i in range(26)] + [f"A{chr(65 + i)}" for i in range(26)] + ["BA",
                                                                                       "BB"]
PUBLIC_COLUMNS = [i for i in range(54) if i not in (2, 3, 4)]  # never C, D, E
CSV_HEADER = (["licensee_name", "last_upload"] +
              [f"{LETTERS[i]}" for i in PUBLIC_COLUMNS])


Search = Annotated[StationQuery, Depends(station_query)]


def _csv_rows(items: list[dict[str, Any]]) -> Iterator[list[Any]]:
    for item in items:
        fields = public_fields(item)
        last = item.get("last_upload_at")
        yield ([item.get("licensee_name") or "", last.date() if last else ""] +
               [fields[i] if i < len(fields) else "" for i in PUBLIC_COLUMNS])


def build_public_router(ctx: ReportsContext) -> APIRouter:
    router = APIRouter(prefix="/api/reports/public", tags=["reports: public"])

    @router.get("/stations", response_model=Page[StationView],
                summary="Site Data Browser: search the stations on file")
    async def stations(query: Search, paging: Paging) -> Page[StationView]:
        async with ctx.uows() as uow:
            items, total = await views.search_stations(uow.session, query, paging.limit,
                                                       paging.offset)
        return Page(items=[station_view(i) for i in items], total=total, limit=paging.limit,
                    offset=paging.offset)

    @router.get("/stations.csv", response_class=StreamingResponse,
                summary="Site Data Browser: the search as CSV")
    async def stations_csv(query: Search) -> StreamingResponse:
        async with ctx.uows() as uow:
            items, _ = await views.search_stations(uow.session, query,
                                                   ctx.settings.export_max_rows)
        return StreamingResponse(csv_stream(CSV_HEADER, _csv_rows(items)), media_type="text/csv",
                                 headers={"content-disposition":
                                          'attachment; filename="stations.csv"'})

    @router.get("/stations/map.svg", response_class=Response,
                summary="Site Data Browser: the search on a map (offline SVG)")
    async def stations_map(query: Search) -> Response:
        async with ctx.uows() as uow:
            items, total = await views.search_stations(uow.session, query,
                                                       ctx.settings.map_max_points)
        points = [(i["latitude"], i["longitude"], f"{i['licence_number']} {i['location']}")
                  for i in items if i["latitude"] is not None and i["longitude"] is not None]
        title = f"{total} station rows"
        return Response(svg.map_svg(points, title), media_type="image/svg+xml")

    @router.get("/licences", response_model=Page[s.PublicLicenceView],
                summary="The public list of licences and licensees")
    async def licences(paging: Paging, licensee: Annotated[str | None, Query(
            max_length=200)] = None) -> Page[s.PublicLicenceView]:
        async with ctx.uows() as uow:
            rows, total = await views.public_licences(uow.session, licensee, paging.limit,
                                                      paging.offset)
        items = [s.PublicLicenceView(
            licence_number=r.licence_number, licensee_name=r.licensee_name, kind=r.kind,
            status=r.status, service=r.service, service_area=r.service_area,
            issued_on=r.issued_on, expires_on=r.expires_on,
            last_upload=r.last_upload_at.date() if r.last_upload_at else None,
            station_rows=r.station_count or 0) for r in rows]
        return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)

    return router
