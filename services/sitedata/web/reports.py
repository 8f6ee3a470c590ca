"""The three reports of an upload: Summary (and its printable receipt), View stations, Error
report (and its download)."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import views
from services.sitedata.context import SitedataContext
from services.sitedata.domain.report import error_csv
from services.sitedata.downloads import stations_download
from services.sitedata.web.access import own_upload
from services.sitedata.web.progress import progress_text, upload_progress
from shared.auth import Principal
from shared.web.paging import PageOffset
from shared.web.portal import Portal

PAGE = 50
FINAL = "Processed|Errors Found"


def add_report_pages(router: APIRouter, ctx: SitedataContext, portal: Portal) -> None:
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]
    Limit = Annotated[int, Query(ge=1, le=500)]

    async def receipt(request: Request, upload_id: str, principal: Principal
                      ) -> dict[str, Any]:
        """What the Summary shows: everything ``GET /api/sitedata/uploads/{id}/summary`` gives."""
        row = await own_upload(ctx, upload_id, principal)
        async with ctx.uows() as uow:
            licences = await repo.upload_licences(uow.session, upload_id)
            uploader = await repo.username(uow.session, row.profile_id)
        done = upload_progress(row)
        return {"upload": row, "licences": licences, "uploader": uploader, "final": FINAL,
                "progress": done, "progress_text": progress_text(portal, request, done)}

    @router.get("/uploads/{upload_id}", response_class=HTMLResponse)
    async def summary(request: Request, upload_id: str, principal: SignedIn) -> HTMLResponse:
        return portal.render(request, "sitedata/summary.html",
                             await receipt(request, upload_id, principal))

    @router.get("/uploads/{upload_id}/receipt", response_class=HTMLResponse)
    async def printable(request: Request, upload_id: str, principal: SignedIn) -> HTMLResponse:
        """The Summary as a receipt to print or save as PDF (no menus, one page)."""
        context = await receipt(request, upload_id, principal)
        context["printed_at"] = ctx.clock.now()
        return portal.render(request, "sitedata/receipt.html", context)

    @router.get("/uploads/{upload_id}/summary")
    async def summary_alias(upload_id: str) -> RedirectResponse:
        """Mails sent before the link was fixed point here: the Summary is the upload's page."""
        return RedirectResponse(f"/sitedata/uploads/{quote(upload_id, safe='')}",
                                status_code=301)

    @router.get("/uploads/{upload_id}/stations", response_class=HTMLResponse)
    async def stations(request: Request, upload_id: str, principal: SignedIn,
                       limit: Limit = PAGE, offset: PageOffset = 0) -> HTMLResponse:
        row = await own_upload(ctx, upload_id, principal)
        async with ctx.uows() as uow:
            items, total = await views.upload_stations(uow.session, upload_id, limit, offset)
        return portal.render(request, "sitedata/stations.html", {
            "upload": row, "stations": items,
            "page": {"total": total, "limit": limit, "offset": offset}})

    @router.get("/uploads/{upload_id}/stations.csv")
    async def stations_csv(upload_id: str, principal: SignedIn) -> StreamingResponse:
        await own_upload(ctx, upload_id, principal)
        return stations_download(ctx.uows, upload_id)

    @router.get("/uploads/{upload_id}/errors", response_class=HTMLResponse)
    async def errors(request: Request, upload_id: str, principal: SignedIn,
                     limit: Limit = PAGE, offset: PageOffset = 0) -> HTMLResponse:
        row = await own_upload(ctx, upload_id, principal)
        async with ctx.uows() as uow:
            found, total = await views.findings(uow.session, upload_id, "error", limit, offset)
            warnings, _ = await views.findings(uow.session, upload_id, "warning", 50, 0)
        return portal.render(request, "sitedata/errors.html", {
            "upload": row, "findings": found, "warnings": warnings,
            "page": {"total": total, "limit": limit, "offset": offset}})

    @router.get("/uploads/{upload_id}/errors.csv")
    async def errors_csv(upload_id: str, principal: SignedIn) -> StreamingResponse:
        await own_upload(ctx, upload_id, principal)
        async with ctx.uows() as uow:
            rows, _ = await views.findings(uow.session, upload_id, "error", None)
        cells = ((r.line, r.column, r.column_name, r.value, r.code, r.message) for r in rows)
        return StreamingResponse(error_csv(cells), media_type="text/csv", headers={
            "content-disposition": f'attachment; filename="errors-{upload_id}.csv"'})
