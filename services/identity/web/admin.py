"""The administrator's page: ISED staff profiles with their roles, and the whole audit trail
(staff and roles are changed through the API, see docs/identity.md)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from services.identity.adapters import views
from services.identity.context import IdentityContext
from services.identity.handlers.staff import must_admin
from shared.auth import Principal
from shared.web.paging import PageOffset
from shared.web.portal import Portal

PAGE = 50


def build_admin_pages(ctx: IdentityContext, portal: Portal) -> APIRouter:
    router = portal.router("/identity")
    Staff = Annotated[Principal, Depends(portal.staff)]

    @router.get("/admin", response_class=HTMLResponse)
    async def administration(request: Request, principal: Staff,
                             offset: PageOffset = 0) -> HTMLResponse:
        must_admin(principal)
        async with ctx.uows() as uow:
            staff = await views.staff_profiles(uow.session)
            events, total = await views.security_events(uow.session, None, PAGE, offset)
            names = await views.usernames(uow.session, {e.profile_id for e in events})
        return portal.render(request, "identity/admin.html", {
            "staff": staff, "events": events, "names": names,
            "page": {"total": total, "limit": PAGE, "offset": offset}})

    return router
