"""A licence's own page: what it authorizes and its conditions, for its holder's profiles and
ISED staff (the account page links each authorization here)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from services.licensing.context import LicensingContext
from services.licensing.handlers.applications import require_right
from services.licensing.handlers.registry import legal_name, licence_row
from shared.auth import Principal
from shared.errors import ForbiddenError, NotFoundError
from shared.web.portal import Portal


def licence_pages(ctx: LicensingContext, portal: Portal) -> APIRouter:
    router = portal.router()
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]

    @router.get("/licences/{number}", response_class=HTMLResponse)
    async def licence(request: Request, number: str, who: SignedIn) -> HTMLResponse:
        async with ctx.uows() as uow:
            row = await licence_row(uow.session, number[:9])
            try:
                await require_right(uow, who, row.account_number, "view")
            except ForbiddenError as exc:  # another account's licence: as if it did not exist
                raise NotFoundError("LIC-NOT-FOUND", f"There is no licence {number[:9]} for "
                                    "this web profile.") from exc
            holder = await legal_name(uow.session, row.account_number)
        return portal.render(request, "licensing/licence.html", {
            "licence": row, "holder": holder, "details": dict(row.details or {})})

    return router
