"""The officer's concentration review page of a transfer or subordinate application."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from services.licensing.context import LicensingContext
from services.licensing.domain import conditions
from services.licensing.handlers import transfers
from services.licensing.queries import affiliates
from shared.auth import Principal
from shared.web.portal import Portal

Accounts = Annotated[str, Query(max_length=500)]


def transfer_pages(ctx: LicensingContext, portal: Portal) -> APIRouter:
    router = portal.router()
    Staff = Annotated[Principal, Depends(portal.staff)]

    @router.get("/applications/{app_id}/concentration", response_class=HTMLResponse)
    async def concentration(request: Request, app_id: str, who: Staff,
                            licensee_affiliates: Accounts = "",
                            transferee_affiliates: Accounts = "") -> HTMLResponse:
        async with ctx.uows() as uow:
            report = await transfers.concentration(
                uow, who, app_id, conditions.load(ctx.settings.conditions_file),
                (affiliates(licensee_affiliates), affiliates(transferee_affiliates)))
        return portal.render(request, "licensing/concentration.html", {
            "report": report, "values": {"licensee_affiliates": licensee_affiliates,
                                         "transferee_affiliates": transferee_affiliates}})

    return router
