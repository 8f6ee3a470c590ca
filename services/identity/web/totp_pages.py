"""The second factor on the profile: start (secret and otpauth link), confirm, turn off."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.identity.adapters import views
from services.identity.context import IdentityContext
from services.identity.handlers import security
from shared.auth import Principal
from shared.errors import DomainError
from shared.web.portal import FormErrors, Portal


def build_totp_pages(ctx: IdentityContext, portal: Portal) -> APIRouter:
    router = portal.router("/identity")
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]

    async def render(request: Request, principal: Principal, setup: object = None,
                     errors: FormErrors | None = None) -> HTMLResponse:
        async with ctx.uows() as uow:
            me = await views.profile(uow.session, principal.profile_id)
        return portal.render(request, "identity/totp.html", {"me": me, "setup": setup},
                             errors=errors, status=400 if errors else 200)

    @router.get("/profile/totp", response_class=HTMLResponse)
    async def page(request: Request, principal: SignedIn) -> HTMLResponse:
        return await render(request, principal)

    @router.post("/profile/totp", response_class=HTMLResponse)
    async def change(request: Request, principal: SignedIn) -> Response:
        values = await portal.form(request)
        action = values.get("action", "")
        if action == "start":
            setup = await security.start_totp(ctx.uows, ctx.sealer, principal.profile_id,
                                              principal.username)
            return await render(request, principal, setup)
        try:
            await security.set_totp(ctx.uows, ctx.sealer, principal.profile_id,
                                    values.get("code", ""), action == "confirm")
        except DomainError as exc:
            exc.field = "code"
            return await render(request, principal, None, FormErrors.from_error(exc))
        notice = "identity.totp.enabled" if action == "confirm" else "identity.totp.disabled"
        return portal.redirect("/identity/profile", notice=notice)

    return router
