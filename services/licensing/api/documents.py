"""Documents of an application over HTTP: add (a streamed multipart body), list, download,
remove. The parties of the application and ISED staff only; to anyone else it is 404."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from services.licensing.context import LicensingContext
from services.licensing.domain.applications import documents as d
from services.licensing.handlers import documents as h
from shared.auth import Principal
from shared.errors import DomainError


class DocumentView(BaseModel):
    id: str
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    party: str
    uploaded_at: datetime


class KindView(BaseModel):
    kind: str
    extensions: list[str]


def view(row: object) -> DocumentView:
    return DocumentView.model_validate(row, from_attributes=True)


async def receive(ctx: LicensingContext, request: Request, who: Principal,
                  application_id: str, kind: str | None) -> DocumentView:
    """Check who may add, stream the file part into the store, then record it."""
    limit = ctx.settings.document_max_bytes
    if int(request.headers.get("content-length") or 0) > limit + 64 * 1024:
        raise DomainError("APP-DOCUMENT-TOO-LARGE", f"The file is larger than "
                          f"{limit // (1024 * 1024)} MB.", field="file", status=413,
                          fix="Send a smaller file (a PDF of lower resolution, or in parts).")
    if kind:
        d.check_kind(kind)
    async with ctx.uows() as uow:
        uploader = await h.may_upload(uow, who, application_id)

    async def sink(filename: str, chunks: AsyncIterator[bytes]) -> h.Stored:
        return await h.store(ctx.uows, ctx.store, uploader, filename, chunks, limit)

    fields, stored = await h.streamed_form(request, "file", sink)
    fact = await h.record(ctx.uows, ctx.store, uploader,
                          kind or fields.get("kind", "").strip(), stored)
    async with ctx.uows.reading() as db:
        rows = [r for r in await h.listed(db, application_id) if r.id == fact.id]
    return view(rows[0])


def build_router(ctx: LicensingContext) -> APIRouter:
    router = APIRouter(prefix="/api/licensing", tags=["licensing application documents"])
    Caller = Annotated[Principal, Depends(ctx.principal)]
    Kind = Annotated[str | None, Query(max_length=30)]

    @router.get("/document-kinds", response_model=list[KindView],
                summary="The kinds of document and the file types each takes")
    async def kinds(_: Caller) -> list[KindView]:
        return [KindView(kind=k, extensions=[e for f in formats for e in f.extensions])
                for k, formats in d.KINDS.items()]

    @router.post("/applications/{application_id}/documents", status_code=201,
                 response_model=DocumentView,
                 summary="Add a document (multipart: kind, file); streamed, type and size "
                         "checked")
    async def add(application_id: str, request: Request, who: Caller,
                  kind: Kind = None) -> DocumentView:
        return await receive(ctx, request, who, application_id, kind)

    @router.get("/applications/{application_id}/documents", response_model=list[DocumentView])
    async def listing(application_id: str, who: Caller) -> list[DocumentView]:
        async with ctx.uows() as uow:
            await h.visible(uow, who, application_id)
            return [view(r) for r in await h.listed(uow.session, application_id)]

    @router.get("/applications/{application_id}/documents/{document_id}",
                response_class=StreamingResponse, summary="Download a document")
    async def download(application_id: str, document_id: str,
                       who: Caller) -> StreamingResponse:
        async with ctx.uows() as uow:
            row = await h.one(uow, who, application_id, document_id)
        return StreamingResponse(h.read(ctx.store, row), media_type=row.content_type,
                                 headers={"content-disposition": f'attachment; filename="'
                                          f'{h.safe_name(row.filename)}"',
                                          "content-length": str(row.size),
                                          "x-content-type-options": "nosniff"})

    @router.delete("/applications/{application_id}/documents/{document_id}", status_code=204)
    async def remove(application_id: str, document_id: str, who: Caller) -> None:
        async with ctx.uows() as uow:
            await h.remove(uow, ctx.store, who, application_id, document_id)

    return router
