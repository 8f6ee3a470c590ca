"""The staff pages under /notifications: every delivery, and the letters to print and post."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.notifications.adapters import views
from services.notifications.context import NotificationsContext
from shared.auth import Principal
from shared.errors import NotFoundError
from shared.web.paging import PageOffset
from shared.web.portal import Portal

PAGE = 25


def build_pages(ctx: NotificationsContext, portal: Portal) -> APIRouter:
    router = portal.router("/notifications")
    Staff = Annotated[Principal, Depends(portal.staff)]
    Limit = Annotated[int, Query(ge=1, le=200)]

    async def deliveries_page(request: Request, status: str | None, limit: int,
                              offset: int) -> HTMLResponse:
        async with ctx.uows() as uow:
            rows, total = await views.list_deliveries(
                uow.session, status=status, template=None, recipient=None,
                cause_event_id=None, limit=limit, offset=offset)
        base = f"/notifications/deliveries/{status}" if status else "/notifications/deliveries"
        return portal.render(request, "notifications/deliveries.html", {
            "deliveries": rows, "status": status, "base": base,
            "page": {"total": total, "limit": limit, "offset": offset}})

    @router.get("/deliveries", response_class=HTMLResponse)
    async def deliveries(request: Request, _: Staff, limit: Limit = PAGE,
                         offset: PageOffset = 0) -> HTMLResponse:
        return await deliveries_page(request, None, limit, offset)

    @router.get("/deliveries/{status}", response_class=HTMLResponse)
    async def deliveries_by_status(request: Request, status: Literal["pending", "sent", "dead"],
                                   _: Staff, limit: Limit = PAGE,
                                   offset: PageOffset = 0) -> HTMLResponse:
        return await deliveries_page(request, status, limit, offset)

    @router.post("/deliveries/{delivery_id}/retry")
    async def retry(request: Request, delivery_id: str, _: Staff) -> Response:
        await portal.form(request)
        async with ctx.uows() as uow:
            done = await views.retry_delivery(uow.session, delivery_id, uow.clock.now())
            await uow.commit()
        return portal.redirect("/notifications/deliveries/dead",
                               notice="notifications.retry.done" if done
                               else "notifications.retry.not_dead")

    @router.get("/letters", response_class=HTMLResponse)
    async def letters(request: Request, _: Staff, limit: Limit = PAGE,
                      offset: PageOffset = 0) -> HTMLResponse:
        async with ctx.uows() as uow:
            rows, total = await views.list_letters(uow.session, status=None, limit=limit,
                                                   offset=offset)
        return portal.render(request, "notifications/letters.html", {
            "letters": rows, "page": {"total": total, "limit": limit, "offset": offset}})

    @router.get("/letters/{letter_id}", response_class=HTMLResponse)
    async def letter(letter_id: str, _: Staff) -> HTMLResponse:
        async with ctx.uows() as uow:
            row = await views.get_letter(uow.session, letter_id)
        if row is None:
            raise NotFoundError("NT-LETTER-NOT-FOUND", "No such letter.")
        return HTMLResponse(row.html_body)

    @router.post("/letters/{letter_id}/posted")
    async def posted(request: Request, letter_id: str, principal: Staff) -> Response:
        await portal.form(request)
        async with ctx.uows() as uow:
            done = await views.mark_posted(uow.session, letter_id, principal.username,
                                           uow.clock.now())
            await uow.commit()
        return portal.redirect("/notifications/letters", notice="notifications.letters.posted"
                               if done else "notifications.letters.already_posted")

    return router
