"""Pages anyone may read without signing in: returned spectrum announced for expressions of
interest (5.7) and the summaries of decisions on commercial mobile transfers (5.6.2 x)."""


from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.licensing.context import LicensingContext
from services.licensing.domain import conditions
from services.licensing.handlers import transfers
from services.licensing.handlers.public import returned_spectrum
from shared.web.paging import PageOffset
from shared.web.portal import Portal

PAGE = 25


def public_pages(ctx: LicensingContext, portal: Portal) -> APIRouter:
    router = portal.router("/public")

    @router.get("/available-spectrum", response_class=HTMLResponse)
    async def available(request: Request, offset: PageOffset = 0) -> HTMLResponse:
        async with ctx.uows.reading() as db:
            items, total = await returned_spectrum(
                db, conditions.load(ctx.settings.conditions_file), portal.language(request),
                PAGE, max(offset, 0))
        return portal.render(request, "licensing/public_spectrum.html", {
            "items": items, "page": {"total": total, "limit": PAGE, "offset": offset}})

    @router.get("/transfer-decisions", response_class=HTMLResponse)
    async def decisions(request: Request, offset: PageOffset = 0) -> HTMLResponse:
        async with ctx.uows.reading() as db:
            rows, total = await transfers.published(db, PAGE, max(offset, 0))
        return portal.render(request, "licensing/public_decisions.html", {
            "items": rows, "page": {"total": total, "limit": PAGE, "offset": offset}})

    return router
