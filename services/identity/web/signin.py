"""Sign-in, sign-out and account selection pages (the rest of identity's pages are in
``routes.py``, owned by the identity service)."""

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.identity.adapters import views
from services.identity.context import IdentityContext
from services.identity.handlers import access, sessions
from services.identity.handlers.profiles import sign_in
from shared.auth import Principal, verify_token
from shared.errors import DomainError
from shared.web.portal import FormErrors, Portal, safe_next

SELECT_PATH = "/identity/accounts/select"


async def _links(ctx: IdentityContext, profile_id: str) -> list[Any]:
    async with ctx.uows() as uow:
        return list(await views.links(uow.session, profile_id))


def build_signin_pages(ctx: IdentityContext, portal: Portal) -> APIRouter:
    router = portal.router("/identity")
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]
    Next = Annotated[str | None, Query(max_length=500)]

    def signin_form(request: Request, values: dict[str, str], errors: FormErrors | None = None,
                    *, code: bool = False) -> HTMLResponse:
        return portal.render(request, "identity/signin.html",
                             {"values": values, "ask_code": code},
                             status=400 if errors else 200, errors=errors)

    @router.get("/signin", response_class=HTMLResponse)
    async def signin_page(request: Request, next: Next = None) -> HTMLResponse:
        return signin_form(request, {"next": safe_next(next)})

    @router.post("/signin", response_class=HTMLResponse)
    async def signin(request: Request) -> Response:
        values = await portal.form(request)
        errors = FormErrors().require(values, "username", "password",
                                      message="identity.signin.missing")
        if errors:
            return signin_form(request, values, errors)
        settings = ctx.settings
        try:
            ctx.limits.sign_in(request, values["username"])
            token = await sign_in(
                ctx.uows, values["username"], values["password"],
                secret=settings.token_secret, ttl_s=settings.token_ttl_s,
                max_failures=settings.max_failed_sign_ins,
                lockout=timedelta(minutes=settings.lockout_minutes),
                code=values.get("totp") or None, sealer=ctx.sealer)
        except DomainError as exc:
            refused = signin_form(request, values, FormErrors.from_error(_field(exc)),
                                  code=exc.code == "ID-TOTP-REQUIRED" or bool(values.get("totp")))
            if exc.retry_after is not None:
                refused.status_code = exc.status
                refused.headers["Retry-After"] = str(exc.retry_after)
            return refused
        principal = verify_token(token, secret=settings.token_secret, now=ctx.clock.now())
        target = safe_next(values.get("next"))
        if not principal.is_staff and len(await _links(ctx, principal.profile_id)) > 1:
            target = f"{SELECT_PATH}?next={quote(target, safe='')}"
        response = portal.redirect(target, notice="identity.signin.done")
        portal.start_session(response, token)
        return response

    @router.post("/signout")
    async def signout(request: Request) -> Response:
        await portal.form(request)
        principal = portal.principal(request)
        if principal is not None:  # the cookie dies with every other session of the profile
            await sessions.sign_out(ctx.uows, ctx.revocations, principal)
        response = portal.redirect("/", notice="identity.signout.done")
        portal.end_session(response)
        return response

    @router.get("/accounts/select", response_class=HTMLResponse)
    async def select_page(request: Request, principal: SignedIn,
                          next: Next = None) -> HTMLResponse:
        return await select_form(request, principal, {"next": safe_next(next)})

    async def select_form(request: Request, principal: Principal, values: dict[str, str],
                          errors: FormErrors | None = None) -> HTMLResponse:
        links = await _links(ctx, principal.profile_id)
        if "account_number" not in values:  # the account it acts for now is the one checked
            async with ctx.uows() as uow:
                me = await views.profile(uow.session, principal.profile_id)
            values = {**values, "account_number": (me.active_account or "") if me else ""}
        return portal.render(request, "identity/select_account.html",
                             {"links": links, "values": values},
                             status=400 if errors else 200, errors=errors)

    @router.post("/accounts/select", response_class=HTMLResponse)
    async def select(request: Request, principal: SignedIn) -> Response:
        values = await portal.form(request)
        errors = FormErrors().require(values, "account_number",
                                      message="identity.select.missing")
        if not errors:
            try:
                await access.choose_account(ctx.uows, principal.profile_id,
                                            values["account_number"])
            except DomainError as exc:
                errors = FormErrors.from_error(exc)
        if errors:
            return await select_form(request, principal, values, errors)
        return portal.redirect(safe_next(values.get("next")), notice="identity.select.done")

    return router


def _field(exc: DomainError) -> DomainError:
    """Refusals name the field they concern, so the summary links to it."""
    if exc.field is None:
        exc.field = "totp" if exc.code == "ID-TOTP-REQUIRED" else "username"
    return exc
