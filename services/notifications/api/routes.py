"""The notifications HTTP API under /api/notifications (ISED staff only)."""


from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from services.notifications.adapters import views
from services.notifications.api import schemas as s
from services.notifications.context import NotificationsContext
from shared.auth import Principal
from shared.errors import ConflictError, NotFoundError
from shared.web.paging import Page, Paging
from shared.web.security import require_staff


def _delivery(row: Any) -> s.DeliveryView:
    return s.DeliveryView.model_validate(dict(row._mapping))


def _letter(row: Any) -> s.LetterView:
    return s.LetterView.model_validate({k: v for k, v in row._mapping.items()
                                        if k != "html_body"})


def _no_delivery() -> NotFoundError:
    return NotFoundError("NT-DELIVERY-NOT-FOUND", "No such delivery.",
                         fix="Take the id from GET /api/notifications/deliveries.")


def _no_letter() -> NotFoundError:
    return NotFoundError("NT-LETTER-NOT-FOUND", "No such letter.",
                         fix="Take the id from GET /api/notifications/letters.")


def build_router(ctx: NotificationsContext) -> APIRouter:
    router = APIRouter(prefix="/api/notifications", tags=["notifications"])

    async def staff(principal: Annotated[Principal, Depends(ctx.principal)]) -> Principal:
        return require_staff(principal)

    Staff = Annotated[Principal, Depends(staff)]
    DeliveryStatus = Literal["pending", "sent", "dead"]

    @router.get("/deliveries", response_model=Page[s.DeliveryView],
                summary="Every mail recorded: to, template, cause event, attempts, result")
    async def deliveries(_: Staff, paging: Paging,
                         status: Annotated[DeliveryStatus | None, Query()] = None,
                         template: Annotated[str | None, Query(max_length=80)] = None,
                         recipient: Annotated[str | None, Query(max_length=254)] = None,
                         event: Annotated[str | None, Query(max_length=36)] = None,
                         ) -> Page[s.DeliveryView]:
        async with ctx.uows() as uow:
            rows, total = await views.list_deliveries(
                uow.session, status=status, template=template, recipient=recipient,
                cause_event_id=event, limit=paging.limit, offset=paging.offset)
        return Page(items=[_delivery(r) for r in rows], total=total, limit=paging.limit,
                    offset=paging.offset)

    @router.get("/deliveries/{delivery_id}", response_model=s.DeliveryView)
    async def delivery(delivery_id: str, _: Staff) -> s.DeliveryView:
        async with ctx.uows() as uow:
            row = await views.get_delivery(uow.session, delivery_id)
        if row is None:
            raise _no_delivery()
        return _delivery(row)

    @router.post("/deliveries/{delivery_id}/retry", response_model=s.DeliveryView,
                 summary="Send a dead-lettered delivery again")
    async def retry(delivery_id: str, _: Staff) -> s.DeliveryView:
        async with ctx.uows() as uow:
            row = await views.get_delivery(uow.session, delivery_id)
            if row is None:
                raise _no_delivery()
            if not await views.retry_delivery(uow.session, delivery_id, uow.clock.now()):
                raise ConflictError("NT-DELIVERY-NOT-DEAD", "Only a dead delivery can be "
                                    "retried.", fix="Wait: a pending delivery is retried "
                                    "on its own.")
            await uow.commit()
            row = await views.get_delivery(uow.session, delivery_id)
        return _delivery(row)

    @router.get("/letters", response_model=Page[s.LetterView],
                summary="Licences and invoices to print and post (accounts preferring Mail)")
    async def letters(_: Staff, paging: Paging,
                      status: Annotated[Literal["to_post", "posted"] | None, Query()] = None,
                      ) -> Page[s.LetterView]:
        async with ctx.uows() as uow:
            rows, total = await views.list_letters(uow.session, status=status,
                                                   limit=paging.limit, offset=paging.offset)
        return Page(items=[_letter(r) for r in rows], total=total, limit=paging.limit,
                    offset=paging.offset)

    @router.get("/letters/{letter_id}", response_class=HTMLResponse,
                summary="The printable letter")
    async def letter(letter_id: str, _: Staff) -> HTMLResponse:
        async with ctx.uows() as uow:
            row = await views.get_letter(uow.session, letter_id)
        if row is None:
            raise _no_letter()
        return HTMLResponse(row.html_body)

    @router.post("/letters/{letter_id}/posted", response_model=s.LetterView,
                 summary="Record that the letter was posted")
    async def posted(letter_id: str, principal: Staff) -> s.LetterView:
        async with ctx.uows() as uow:
            if await views.get_letter(uow.session, letter_id) is None:
                raise _no_letter()
            if not await views.mark_posted(uow.session, letter_id, principal.username,
                                           uow.clock.now()):
                raise ConflictError("NT-LETTER-POSTED", "This letter was already posted.")
            await uow.commit()
            row = await views.get_letter(uow.session, letter_id)
        return _letter(row)

    return router
