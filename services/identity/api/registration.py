"""Registration over HTTP: types, licensee search, attachments, submit, answer."""


import mimetypes
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from services.identity.adapters import views
from services.identity.api import schemas as s
from services.identity.context import IdentityContext
from services.identity.domain.registration import TYPES
from services.identity.handlers import attachments, registration
from services.identity.handlers.review import may_review
from services.identity.queries import RegistrationView, registration_view
from shared.auth import Principal
from shared.errors import DomainError, NotFoundError
from shared.web.multipart import stream_form
from shared.web.paging import Page, Paging
from shared.web.ratelimit import client_of


def build_registration_router(ctx: IdentityContext) -> APIRouter:
    router = APIRouter(prefix="/api/identity", tags=["identity: registration"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    @router.get("/registration-types", response_model=list[s.TypeView],
                summary="Every registration type of the seed with its steps")
    async def types() -> list[s.TypeView]:
        return [s.TypeView(kind=k.kind, title=k.title, office=k.office,
                           needs_approval=k.needs_approval, steps=k.steps(),
                           attachments=k.attachments) for k in TYPES.values()]

    @router.get("/licensees", response_model=Page[s.LicenseeView],
                summary="Find an existing licensee or applicant by company name (and city)")
    async def licensees(paging: Paging, name: Annotated[str, Query(min_length=2, max_length=200)],
                        city: Annotated[str | None, Query(max_length=100)] = None
                        ) -> Page[s.LicenseeView]:
        async with ctx.uows() as uow:
            rows, total = await views.search_licensees(uow.session, name, city, paging.limit,
                                                       paging.offset)
        return Page(items=[s.LicenseeView.model_validate(r._mapping) for r in rows],
                    total=total, limit=paging.limit, offset=paging.offset)

    @router.post("/registrations/attachments", status_code=201,
                 response_model=s.AttachmentCreated,
                 summary="Add an attachment (multipart: file, description); max 10 MB")
    async def add_attachment(request: Request) -> s.AttachmentCreated:
        length = int(request.headers.get("content-length") or 0)
        if length > attachments.MAX_BYTES + 64 * 1024:
            raise DomainError("ID-ATTACHMENT-TOO-LARGE", "The attachment is larger than 10 MB.",
                              status=413, field="file", fix="Send a smaller scan or a PDF.")

        async def sink(filename: str, chunks: AsyncIterator[bytes]) -> attachments.Stored:
            return await attachments.store(ctx.uows, ctx.store, filename, chunks)

        fields, filename, stored = await stream_form(request, "file", sink)
        description = fields.get("description", "")
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        claim = await attachments.record(ctx.uows, stored, description, kind)
        return s.AttachmentCreated(attachment=claim, filename=filename, size=stored.size,
                                   description=description.strip())

    @router.post("/registrations", status_code=201, response_model=s.RegistrationCreated,
                 summary="Submit a registration (the Review page's Submit)")
    async def submit(request: Request, body: s.RegistrationIn) -> s.RegistrationCreated:
        ctx.limits.register(request)
        sub = registration.Submission(
            kind=body.kind, user=body.user.model_dump(), account_number=body.account_number,
            shared_secret=body.shared_secret,
            holder=body.holder.model_dump() if body.holder else None,
            letter_contact=body.letter_contact.model_dump() if body.letter_contact else None,
            attachments=list(body.attachments))
        done = await registration.submit(ctx.uows, sub, ctx.limits.secrets, client_of(request))
        return s.RegistrationCreated(registration_id=done.registration_id,
                                     profile_id=done.profile_id, status=done.status,
                                     account_number=done.account_number)

    @router.get("/registrations", response_model=Page[RegistrationView],
                summary="The caller's own registrations")
    async def mine(principal: Caller, paging: Paging) -> Page[RegistrationView]:
        async with ctx.uows() as uow:
            rows, total = await views.registrations_of(uow.session, principal.profile_id,
                                                       paging.limit, paging.offset)
            items = [await registration_view(uow.session, r) for r in rows]
        return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)

    async def visible(registration_id: str, principal: Principal) -> Any:
        async with ctx.uows() as uow:
            row = await views.registration(uow.session, registration_id)
            if row is None:
                raise NotFoundError("ID-REG-NOT-FOUND", "No such registration.")
            if row.profile_id != principal.profile_id:
                if not principal.is_staff:
                    raise NotFoundError("ID-REG-NOT-FOUND", "No such registration.")
                may_review(principal, row.office)
            return await registration_view(uow.session, row)

    @router.get("/registrations/{registration_id}", response_model=RegistrationView)
    async def get_registration(registration_id: str, principal: Caller) -> RegistrationView:
        return await visible(registration_id, principal)

    @router.get("/registrations/{registration_id}/attachments/{attachment_id}",
                response_class=Response, summary="Download an attachment")
    async def download(registration_id: str, attachment_id: str, principal: Caller) -> Response:
        await visible(registration_id, principal)
        name, kind, data = await attachments.read(ctx.uows, ctx.store, registration_id,
                                                  attachment_id)
        safe = attachments.safe_name(name)
        return Response(data, media_type=kind,
                        headers={"content-disposition": f'attachment; filename="{safe}"'})

    @router.post("/registrations/{registration_id}/resubmit", status_code=204,
                 summary="Answer the officer's question and send the registration back")
    async def resubmit(registration_id: str, body: s.AnswerIn, principal: Caller) -> None:
        await registration.resubmit(ctx.uows, registration_id, principal.profile_id,
                                    registration.Answer(
                                        body.answer, list(body.attachments),
                                        body.holder.model_dump() if body.holder else None,
                                        body.letter_contact.model_dump()
                                        if body.letter_contact else None))

    return router
