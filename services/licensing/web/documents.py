"""Documents on the application pages: add one (a streamed multipart form), remove one. The
list and the form are the partial ``_documents.html``, shown on the application page, each
wizard step and the broadcasting pages; downloads use the API route (the session cookie is
accepted there)."""

from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.licensing.context import LicensingContext
from services.licensing.domain.applications import documents as d
from services.licensing.handlers import documents as h
from shared.auth import Principal
from shared.errors import DomainError
from shared.web.portal import Portal, safe_next

Back = Annotated[str | None, Query(max_length=300)]


async def documents_context(ctx: LicensingContext, portal: Portal, request: Request,
                            row: Any, who: Principal) -> dict[str, Any]:
    """What ``_documents.html`` needs: the list, whether this profile may add, the kinds, and
    the refusal of the last upload (its code comes back in the query)."""
    async with ctx.uows.reading() as db:
        listed = await h.listed(db, row.id)
    allowed = h.STAFF_STATUSES if who.is_staff else h.PARTY_STATUSES
    code = request.query_params.get("document_error", "")[:40]
    error = None
    if code:
        key = f"errors.{code}" if portal.catalogue.has(f"errors.{code}") else \
            "licensing.docs.refused"
        error = portal.t(request, key)
    return {"documents": listed, "document_kinds": list(d.KINDS), "document_error": error,
            "document_back": request.url.path, "documents_open": row.status in allowed,
            "document_app": row.id,
            "document_max_mb": ctx.settings.document_max_bytes // (1024 * 1024)}


def _back(app_id: str, back: str | None, error: str | None = None) -> str:
    target = safe_next(back, f"/licensing/applications/{app_id}")
    if not target.startswith("/licensing/"):
        target = f"/licensing/applications/{app_id}"
    if error:
        target += ("&" if "?" in target else "?") + f"document_error={quote(error)}"
    return target + "#documents"


def document_pages(ctx: LicensingContext, portal: Portal) -> APIRouter:
    router = portal.router()
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]

    @router.post("/applications/{app_id}/documents", response_class=HTMLResponse)
    async def add(request: Request, app_id: str, who: SignedIn, back: Back = None) -> Response:
        limit = ctx.settings.document_max_bytes
        try:
            if int(request.headers.get("content-length") or 0) > limit + 64 * 1024:
                raise DomainError("APP-DOCUMENT-TOO-LARGE", "The file is too large.",
                                  status=413)
            async with ctx.uows() as uow:
                uploader = await h.may_upload(uow, who, app_id)

            async def sink(filename: str, chunks: AsyncIterator[bytes]) -> h.Stored:
                return await h.store(ctx.uows, ctx.store, uploader, filename, chunks,
                                     limit)

            fields, stored = await h.streamed_form(request, "document_file", sink,
                                                   portal.csrf_guard(request))
            await h.record(ctx.uows, ctx.store, uploader,
                           fields.get("document_kind", "").strip(), stored)
        except DomainError as exc:
            if exc.status == 404:
                raise
            return portal.redirect(_back(app_id, back, exc.code))
        return portal.redirect(_back(app_id, back), notice="licensing.docs.added")

    @router.post("/applications/{app_id}/documents/{document_id}/remove",
                 response_class=HTMLResponse)
    async def remove(request: Request, app_id: str, document_id: str, who: SignedIn,
                     back: Back = None) -> Response:
        await portal.form(request)
        async with ctx.uows() as uow:
            await h.remove(uow, ctx.store, who, app_id, document_id)
        return portal.redirect(_back(app_id, back), notice="licensing.docs.removed")

    return router
