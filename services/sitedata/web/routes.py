"""The site-data pages under /sitedata: upload, the list of uploads, the three reports and
the downloads (template, example, error report)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import views
from services.sitedata.context import SitedataContext
from services.sitedata.domain.upload import parse_mode
from services.sitedata.handlers import intake
from services.sitedata.web import files
from services.sitedata.web.access import own_upload
from services.sitedata.web.progress import progress_text, upload_progress
from services.sitedata.web.reports import add_report_pages
from shared.auth import Principal
from shared.errors import DomainError
from shared.web.multipart import stream_form
from shared.web.paging import PageOffset
from shared.web.portal import FormErrors, Portal

PAGE = 20
FINAL = "Processed|Errors Found"


def _csv(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="{filename}"'})


def build_pages(ctx: SitedataContext, portal: Portal) -> APIRouter:
    router = portal.router("/sitedata")
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]
    Limit = Annotated[int, Query(ge=1, le=200)]

    async def accounts(principal: Principal) -> tuple[list[str], str]:
        """The accounts the profile may upload for, and the one it acts for."""
        async with ctx.uows() as uow:
            allowed = await repo.may_act_for(uow.session, principal.profile_id)
            active = await repo.active_account(uow.session, principal.profile_id)
        return sorted(allowed), active if active in allowed else ""

    async def upload_form(request: Request, principal: Principal, values: dict[str, str],
                          errors: FormErrors | None = None, status: int = 200) -> HTMLResponse:
        allowed, active = await accounts(principal)
        return portal.render(request, "sitedata/upload.html", {
            "values": {**values, "account": values.get("account") or active},
            "accounts": allowed}, status=status if errors else 200, errors=errors)

    @router.get("/upload", response_class=HTMLResponse)
    async def upload_page(request: Request, principal: SignedIn,
                          account: Annotated[str | None, Query(max_length=20)] = None
                          ) -> HTMLResponse:
        """``account`` preselects the account (the reminder mails link with it)."""
        return await upload_form(request, principal, {"mode": "replace",
                                                      "account": account or ""})

    @router.post("/upload", response_class=HTMLResponse)
    async def upload(request: Request, principal: SignedIn) -> Response:
        async def sink(filename: str, chunks: AsyncIterator[bytes]) -> intake.StoredFile:
            return await intake.store_file(ctx.uows, ctx.store, filename, chunks)

        values: dict[str, str] = {}
        try:
            values, _, stored = await stream_form(request, "file", sink,
                                                  portal.csrf_guard(request))
            new = intake.NewUpload(principal, parse_mode(values.get("mode")),
                                   values.get("account") or None)
            upload_id = await intake.record(ctx.uows, ctx.store, new, stored)
        except DomainError as exc:
            if exc.field is None and exc.code.startswith("SD-F"):
                exc.field = "file"
            return await upload_form(request, principal, values, FormErrors.from_error(exc),
                                     status=exc.status)
        return portal.redirect(f"/sitedata/uploads/{upload_id}",
                               notice="sitedata.upload.received")

    @router.get("/uploads", response_class=HTMLResponse)
    async def uploads(request: Request, principal: SignedIn, limit: Limit = PAGE,
                      offset: PageOffset = 0) -> HTMLResponse:
        async with ctx.uows() as uow:
            rows, total = await views.list_uploads(uow.session, principal.profile_id, limit,
                                                   offset)
        return portal.render(request, "sitedata/uploads.html", {
            "uploads": rows, "final": FINAL,
            "page": {"total": total, "limit": limit, "offset": offset}})

    @router.get("/uploads/{upload_id}/status.json")
    async def status(request: Request, upload_id: str, principal: SignedIn) -> JSONResponse:
        row = await own_upload(ctx, upload_id, principal)
        done = upload_progress(row)
        return JSONResponse({
            "status": row.status, "text": portal.t(request, f"sitedata.status.{row.status}"),
            "progress": {"percent": done.percent, "phase": done.phase,
                         "text": progress_text(portal, request, done)}},
            headers={"cache-control": "no-store"})

    @router.get("/template.csv")
    async def template() -> Response:
        return _csv(files.template_csv(), "site-data-template.csv")

    @router.get("/example.csv")
    async def example() -> Response:
        return _csv(files.example_csv(), "site-data-example.csv")

    @router.get("/columns", response_class=HTMLResponse)
    async def columns(request: Request) -> HTMLResponse:
        return portal.render(request, "sitedata/columns.html", {"columns": files.column_help()})

    add_report_pages(router, ctx, portal)
    return router

