"""The gateway's pages: home (sign in, or the licensee dashboard), the officer's dashboard
entry and, in embedded mode, the development mailbox."""

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from services.gateway.web import dashboard
from services.gateway.web.apis import ServiceApis
from services.gateway.web.mailbox import list_mail, read_mail
from shared.auth import Principal
from shared.errors import NotFoundError
from shared.web.paging import PageOffset
from shared.web.portal import Portal
from shared.web.portal.session import session_token


@dataclass
class GatewayPages:
    """What the gateway's pages need: a way to call the APIs, the mailbox folder (embedded)."""

    apis: ServiceApis
    maildir: Path | None = None


def build_gateway_pages(portal: Portal, pages: GatewayPages) -> APIRouter:
    router = portal.router()
    Staff = Annotated[Principal, Depends(portal.staff)]
    portal.env.globals["mailbox"] = pages.maildir is not None

    @router.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> HTMLResponse:
        principal = portal.principal(request)
        token = session_token(request)
        if principal is None or token is None:
            return portal.render(request, "gateway/home.html")
        if principal.is_staff:
            figures = await dashboard.officer_figures(pages.apis, token)
            return portal.render(request, "gateway/officer.html", {"figures": figures})
        board = await dashboard.gather(pages.apis, token)
        return portal.render(request, "gateway/dashboard.html", {"board": board})

    @router.get("/officer", response_class=HTMLResponse)
    async def officer(request: Request, principal: Staff) -> HTMLResponse:
        figures = await dashboard.officer_figures(pages.apis, session_token(request) or "")
        return portal.render(request, "gateway/officer.html", {"figures": figures})

    if pages.maildir is not None:
        folder = pages.maildir

        @router.get("/dev/mailbox", response_class=HTMLResponse)
        async def mailbox(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                          offset: PageOffset = 0) -> HTMLResponse:
            mails, total = list_mail(folder, limit, offset)
            return portal.render(request, "gateway/mailbox.html", {
                "mails": mails, "page": {"total": total, "limit": limit, "offset": offset}})

        @router.get("/dev/mailbox/{key}", response_class=HTMLResponse)
        async def mail(request: Request, key: str) -> HTMLResponse:
            found = read_mail(folder, key)
            if found is None:
                raise NotFoundError("PORTAL-MAIL-NOT-FOUND", portal.t(request,
                                    "gateway.mailbox.not_found"))
            return portal.render(request, "gateway/mail.html", {"mail": found})

    return router
