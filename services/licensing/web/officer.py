"""Officer pages: queues per type and office, and the review actions on an application."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.licensing import queries
from services.licensing.adapters import repository as repo
from services.licensing.context import LicensingContext
from services.licensing.handlers import operations, review
from services.licensing.handlers.plugin import Decision
from shared.auth import Principal
from shared.web.portal import Portal

PAGE = 50
STATUSES = ("Submitted", "In review", "Information requested")
OFFICES = ("Atlantic", "Quebec", "Ontario", "Prairies", "Pacific")


def officer_pages(ctx: LicensingContext, portal: Portal) -> APIRouter:
    router = APIRouter()
    Staff = Annotated[Principal, Depends(portal.staff)]

    @router.get("/queues", response_class=HTMLResponse)
    async def queues(request: Request, who: Staff, family: str = "", office: str = "",
                     status: str = "", offset: int = 0) -> HTMLResponse:
        filters = {"family": family or None, "office": office or None, "status": status or None}
        async with ctx.uows() as uow:
            rows, total = await repo.list_applications(
                uow.session, accounts=None, filters=filters, limit=PAGE, offset=max(offset, 0),
                submitted_only=True)
        now = ctx.clock.now()
        return portal.render(request, "licensing/queues.html", {
            "items": [queries.summary(r, now) for r in rows], "families": ctx.families.names(),
            "statuses": STATUSES, "offices": OFFICES,
            "filters": {"family": family, "office": office, "status": status},
            "page": {"total": total, "limit": PAGE, "offset": offset}})

    @router.post("/applications/{app_id}/review", response_class=HTMLResponse)
    async def act(request: Request, app_id: str, who: Staff) -> Response:
        values = await portal.form(request)
        action = values.get("action", "")
        async with ctx.uows() as uow:
            if action == "assign":
                await review.assign(uow, who, app_id, values.get("officer", ""))
            elif action == "checklist":
                items = {k[5:]: v for k, v in values.items() if k.startswith("item.") and v}
                await review.set_checklist(uow, who, app_id, items)
            elif action == "request_info":
                await review.request_info(uow, who, app_id, values.get("question", ""))
            elif action in ("approve", "deny"):
                chosen = [n.strip() for n in values.get("licence_numbers", "").split(",")
                          if n.strip()]
                conditions = [c.strip() for c in values.get("conditions", "").splitlines()
                              if c.strip()]
                decision = Decision(action == "approve", values.get("reasons", ""),
                                    tuple(chosen) or None, tuple(conditions),
                                    values.get("public_summary", ""))
                await review.decide(uow, ctx.families, ctx.billing, ctx.settings, who,
                                    app_id, decision)
            await uow.commit()
        return portal.redirect(f"/licensing/applications/{app_id}",
                               notice="licensing.notice.reviewed")

    @router.post("/accounts/{account_number}/secret", response_class=HTMLResponse)
    async def reissue(request: Request, account_number: str, who: Staff) -> Response:
        """A new shared secret, mailed and posted to the account (never shown here)."""
        await portal.form(request)
        async with ctx.uows() as uow:
            await operations.reissue_secret(uow, ctx.box, who, account_number)
            await uow.commit()
        return portal.redirect(f"/licensing/accounts/{account_number}",
                               notice="licensing.notice.secret_reissued")

    return router
