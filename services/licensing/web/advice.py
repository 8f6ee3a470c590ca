"""Pages of requests for informal advice before a transfer agreement (5.6.2 xiii): ask, see
the answer, withdraw; for officers, the open requests and the answer form."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.licensing.adapters import repository as repo
from services.licensing.context import LicensingContext
from services.licensing.domain import advice as a
from services.licensing.handlers import advice as h
from shared.auth import Principal
from shared.errors import DomainError
from shared.web.paging import PageOffset
from shared.web.portal import FormErrors, Portal

PAGE = 50


def advice_pages(ctx: LicensingContext, portal: Portal) -> APIRouter:
    router = portal.router("/advice")
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]
    Staff = Annotated[Principal, Depends(portal.staff)]

    async def form(request: Request, who: Principal, values: dict[str, str],
                   errors: FormErrors | None = None) -> HTMLResponse:
        async with ctx.uows() as uow:
            accounts = sorted(await repo.linked_accounts(uow.session, who.profile_id))
        if len(accounts) == 1:
            values.setdefault("account_number", accounts[0])
        return portal.render(request, "licensing/advice_new.html", {
            "values": values, "accounts": accounts, "kinds": a.KINDS},
            status=400 if errors else 200, errors=errors)

    @router.get("", response_class=HTMLResponse)
    async def listing(request: Request, who: SignedIn, offset: PageOffset = 0) -> HTMLResponse:
        async with ctx.uows() as uow:
            rows, total = await h.listed(uow, who, a.OPEN if who.is_staff else None, PAGE,
                                         max(offset, 0))
        return portal.render(request, "licensing/advice_list.html", {
            "items": rows, "staff": who.is_staff,
            "page": {"total": total, "limit": PAGE, "offset": offset}})

    @router.get("/new", response_class=HTMLResponse)
    async def new(request: Request, who: SignedIn) -> HTMLResponse:
        return await form(request, who, {})

    @router.post("/new", response_class=HTMLResponse)
    async def ask(request: Request, who: SignedIn) -> Response:
        values = await portal.form(request)
        try:
            async with ctx.uows() as uow:
                advice_id = await h.create(uow, who, dict(values))
                await uow.commit()
        except DomainError as exc:
            if exc.status == 404:
                exc.field = exc.field or "account_number"
            return await form(request, who, values, FormErrors.from_error(exc))
        return portal.redirect(f"/licensing/advice/{advice_id}", notice="licensing.adv.sent")

    @router.get("/{advice_id}", response_class=HTMLResponse)
    async def show(request: Request, advice_id: str, who: SignedIn) -> HTMLResponse:
        async with ctx.uows() as uow:
            row = await h.visible(uow, who, advice_id)
        return portal.render(request, "licensing/advice.html", {
            "item": row, "staff": who.is_staff, "values": {}})

    @router.post("/{advice_id}/answer", response_class=HTMLResponse)
    async def answer(request: Request, advice_id: str, who: Staff) -> Response:
        values = await portal.form(request)
        async with ctx.uows() as uow:
            await h.answer(uow, who, advice_id, values.get("answer", ""),
                           values.get("action") == "decline")
            await uow.commit()
        return portal.redirect(f"/licensing/advice/{advice_id}", notice="licensing.adv.answered")

    @router.post("/{advice_id}/withdraw", response_class=HTMLResponse)
    async def withdraw(request: Request, advice_id: str, who: SignedIn) -> Response:
        await portal.form(request)
        async with ctx.uows() as uow:
            await h.withdraw(uow, who, advice_id)
            await uow.commit()
        return portal.redirect(f"/licensing/advice/{advice_id}",
                               notice="licensing.adv.withdrawn")

    return router
