"""The sitedata HTTP API under /api/sitedata."""


from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import views
from services.sitedata.api import schemas as s
from services.sitedata.context import SitedataContext
from services.sitedata.domain.report import error_csv
from services.sitedata.domain.upload import ENDED, parse_mode, progress_of
from services.sitedata.domain.validation import MAX_BYTES
from services.sitedata.downloads import stations_download
from services.sitedata.handlers import intake, preview
from services.sitedata.handlers.ends import MAX_WAIT_S
from shared.auth import Principal
from shared.errors import DomainError, NotFoundError
from shared.web.multipart import stream_form
from shared.web.paging import Page, Paging


def _upload_view(row: Any) -> s.UploadView:
    view = s.UploadView.model_validate(row._mapping, from_attributes=False)
    done = progress_of(row.stage, row.size, row.checked_bytes, row.checked_rows,
                       row.applied_rows, row.records)
    view.progress = s.ProgressView(phase=done.phase, rows_checked=done.rows_checked,
                                   rows_applied=done.rows_applied, percent=done.percent)
    return view


def build_router(ctx: SitedataContext) -> APIRouter:
    router = APIRouter(prefix="/api/sitedata", tags=["sitedata"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    async def own_upload(upload_id: str, principal: Principal) -> Any:
        async with ctx.uows.reading() as db:
            row = await repo.get_upload(db, upload_id)
        if row is None or (row.profile_id != principal.profile_id and not principal.is_staff):
            raise NotFoundError("SD-UPLOAD-NOT-FOUND", "No such upload for this web profile.")
        return row

    @router.post("/uploads", status_code=202, response_model=s.UploadAccepted | s.PreviewView,
                 summary="Upload a site-data CSV file (multipart: file, mode, account)")
    async def upload(request: Request, principal: Caller,
                     dry_run: Annotated[bool, Query()] = False) -> Any:
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_BYTES + 1024 * 1024:
            raise DomainError("SD-F2-SIZE", "The file is larger than 60 MB.", status=413,
                              field="file", fix="Split it: upload the first part with Replace "
                              "and the other parts with Append.")

        async def sink(filename: str, chunks: AsyncIterator[bytes]) -> intake.StoredFile:
            return await intake.store_file(ctx.uows, ctx.store, filename, chunks)

        fields, _, stored = await stream_form(request, "file", sink)
        new = intake.NewUpload(principal, parse_mode(fields.get("mode")),
                               fields.get("account") or None)
        if dry_run:
            return await preview.preview(ctx.uows, ctx.store, new, stored)
        upload_id = await intake.record(ctx.uows, ctx.store, new, stored)
        return s.UploadAccepted(id=upload_id, status="Validation in Progress")

    @router.get("/uploads", response_model=Page[s.UploadView])
    async def list_uploads(principal: Caller, paging: Paging,
                           everyone: bool = False) -> Page[s.UploadView]:
        scope = None if (everyone and principal.is_staff) else principal.profile_id
        async with ctx.uows.reading() as db:
            rows, total = await views.list_uploads(db, scope, paging.limit, paging.offset)
        return Page(items=[_upload_view(r) for r in rows], total=total, limit=paging.limit,
                    offset=paging.offset)

    @router.get("/uploads/{upload_id}", response_model=s.UploadView)
    async def get_upload(upload_id: str, principal: Caller,
                         wait: Annotated[float, Query(
                             ge=0, le=MAX_WAIT_S, allow_inf_nan=False, description=(
                                 "Seconds to wait for the upload to end before answering "
                                 "(a long poll): answered as soon as it is Processed or "
                                 "Errors Found, or with its progress when the time is up"))] = 0
                         ) -> s.UploadView:
        row = await own_upload(upload_id, principal)
        if wait and row.stage not in ENDED:
            await ctx.ends.wait(upload_id, wait)
            row = await own_upload(upload_id, principal)
        return _upload_view(row)

    @router.get("/uploads/{upload_id}/errors", response_model=Page[s.FindingView])
    async def errors(upload_id: str, principal: Caller, paging: Paging,
                     severity: str = "error") -> Page[s.FindingView]:
        await own_upload(upload_id, principal)
        async with ctx.uows() as uow:
            rows, total = await views.findings(uow.session, upload_id, severity, paging.limit,
                                               paging.offset)
        return Page(items=[s.FindingView.model_validate(r._mapping) for r in rows], total=total,
                    limit=paging.limit, offset=paging.offset)

    @router.get("/uploads/{upload_id}/errors.csv", response_class=StreamingResponse)
    async def errors_csv(upload_id: str, principal: Caller) -> StreamingResponse:
        await own_upload(upload_id, principal)
        async with ctx.uows() as uow:
            rows, _ = await views.findings(uow.session, upload_id, "error", None)
        cells = ((r.line, r.column, r.column_name, r.value, r.code, r.message) for r in rows)
        return StreamingResponse(error_csv(cells), media_type="text/csv", headers={
            "content-disposition": f'attachment; filename="errors-{upload_id}.csv"'})

    @router.get("/uploads/{upload_id}/summary", response_model=s.SummaryView)
    async def summary(upload_id: str, principal: Caller) -> s.SummaryView:
        row = await own_upload(upload_id, principal)
        async with ctx.uows() as uow:
            licences = await repo.upload_licences(uow.session, upload_id)
            uploader = await repo.username(uow.session, row.profile_id)
        return s.SummaryView(upload=_upload_view(row), uploader=uploader,
                             licences=[s.LicenceCount.model_validate(r._mapping)
                                       for r in licences])

    @router.get("/uploads/{upload_id}/stations", response_model=Page[s.StationView])
    async def stations(upload_id: str, principal: Caller, paging: Paging) -> Page[s.StationView]:
        await own_upload(upload_id, principal)
        async with ctx.uows() as uow:
            items, total = await views.upload_stations(uow.session, upload_id, paging.limit,
                                                       paging.offset)
        return Page(items=[s.StationView.model_validate(i) for i in items], total=total,
                    limit=paging.limit, offset=paging.offset)

    @router.get("/uploads/{upload_id}/stations.csv", response_class=StreamingResponse,
                summary="Every station row the upload sent (kept for as long as the upload)")
    async def stations_csv(upload_id: str, principal: Caller) -> StreamingResponse:
        await own_upload(upload_id, principal)
        return stations_download(ctx.uows, upload_id)

    return router
