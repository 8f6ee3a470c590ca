"""The identity HTTP API under /api/identity: sign-in, the caller's profile and security."""


from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request

from services.identity.adapters import views
from services.identity.api import schemas as s
from services.identity.context import IdentityContext
from services.identity.domain.registration import offices_for
from services.identity.domain.rights import parse
from services.identity.handlers import access, security, sessions
from services.identity.handlers.profiles import sign_in
from shared.auth import Principal, issue_token
from shared.web.paging import Page, Paging
from shared.web.ratelimit import client_of


def build_router(ctx: IdentityContext) -> APIRouter:
    router = APIRouter(prefix="/api/identity", tags=["identity"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    @router.post("/token", response_model=s.TokenView,
                 summary="Sign in (OAuth2 password form; 'totp' when the second factor is on)")
    async def token(request: Request, username: Annotated[str, Form(max_length=200)],
                    password: Annotated[str, Form(max_length=200)],
                    totp: Annotated[str | None, Form(max_length=10)] = None) -> s.TokenView:
        ctx.limits.sign_in(request, username)
        settings = ctx.settings
        access_token = await sign_in(
            ctx.uows, username, password, secret=settings.token_secret,
            ttl_s=settings.token_ttl_s, max_failures=settings.max_failed_sign_ins,
            lockout=timedelta(minutes=settings.lockout_minutes), code=totp, sealer=ctx.sealer)
        return s.TokenView(access_token=access_token)

    @router.post("/signout", status_code=204,
                 summary="Sign out: every token and session of the caller's profile ends")
    async def signout(principal: Caller) -> None:
        await sessions.sign_out(ctx.uows, ctx.revocations, principal)

    @router.post("/me/password", response_model=s.TokenView,
                 summary="Change the password; every session ends, a new token is returned")
    async def change_password(body: s.PasswordChangeIn, principal: Caller) -> s.TokenView:
        generation = await sessions.change_password(
            ctx.uows, ctx.revocations, principal, body.current_password, body.password,
            body.confirm_password)
        fresh = Principal(principal.profile_id, principal.username, principal.roles,
                          principal.language, generation)
        return s.TokenView(access_token=issue_token(
            fresh, secret=ctx.settings.token_secret, now=ctx.clock.now(),
            ttl_s=ctx.settings.token_ttl_s))

    @router.get("/me", response_model=s.MeView, summary="The caller's profile and accounts")
    async def me(principal: Caller) -> s.MeView:
        async with ctx.uows.reading() as db:
            profile, rows = await views.me(db, principal.profile_id)
        links = [s.AccountLink(account_number=r.account_number, relation=r.relation,
                               rights=parse(r.rights), legal_name=r.legal_name) for r in rows]
        return s.MeView(
            profile_id=principal.profile_id, username=principal.username,
            email=profile.email if profile else "", name=profile.name if profile else "",
            language=principal.language, roles=sorted(principal.roles), accounts=links,
            active_account=profile.active_account if profile else None,
            totp_enabled=bool(profile.totp_enabled) if profile else False,
            queues=offices_for(principal.roles))

    @router.post("/me/accounts", status_code=204,
                 summary="Add another account this profile holds (account number + secret)")
    async def add_account(request: Request, body: s.AddAccountIn, principal: Caller) -> None:
        await access.add_account(ctx.uows, principal.profile_id, body.account_number.strip(),
                                 body.shared_secret, ctx.limits.secrets, client_of(request))

    @router.put("/me/active-account", status_code=204,
                summary="Choose the account this profile acts for")
    async def choose(body: s.ChooseAccountIn, principal: Caller) -> None:
        await access.choose_account(ctx.uows, principal.profile_id, body.account_number)

    @router.get("/me/security-events", response_model=Page[s.SecurityEventView],
                summary="The caller's audit trail, newest first")
    async def my_events(principal: Caller, paging: Paging) -> Page[s.SecurityEventView]:
        async with ctx.uows() as uow:
            rows, total = await views.security_events(uow.session, principal.profile_id,
                                                      paging.limit, paging.offset)
        return Page(items=[s.SecurityEventView.model_validate(r._mapping) for r in rows],
                    total=total, limit=paging.limit, offset=paging.offset)

    @router.post("/password-reset", status_code=202,
                 summary="Mail a one-time reset link (says nothing about whether it exists)")
    async def request_reset(request: Request, body: s.ResetRequestIn) -> dict[str, str]:
        ctx.limits.reset(request, body.username_or_email)
        await security.request_reset(ctx.uows, body.username_or_email,
                                     ctx.settings.public_base_url,
                                     timedelta(minutes=ctx.settings.reset_link_minutes))
        return {"status": "If a web profile matches, a link is on its way by e-mail."}

    @router.post("/password-reset/{token}", status_code=204,
                 summary="Set a new password with the one-time link")
    async def reset(token: str, body: s.ResetIn) -> None:
        await security.reset_password(ctx.uows, token, body.password, body.confirm_password,
                                      ctx.revocations)

    @router.post("/me/totp", response_model=s.TotpSetupView,
                 summary="Start the second factor: a secret for the authenticator app")
    async def totp_setup(principal: Caller) -> s.TotpSetupView:
        setup = await security.start_totp(ctx.uows, ctx.sealer, principal.profile_id,
                                          principal.username)
        return s.TotpSetupView(secret=setup.secret, otpauth_uri=setup.uri)

    @router.post("/me/totp/confirm", status_code=204,
                 summary="Turn the second factor on with a current code")
    async def totp_on(body: s.CodeIn, principal: Caller) -> None:
        await security.set_totp(ctx.uows, ctx.sealer, principal.profile_id, body.code, True)

    @router.post("/me/totp/disable", status_code=204,
                 summary="Turn the second factor off with a current code")
    async def totp_off(body: s.CodeIn, principal: Caller) -> None:
        await security.set_totp(ctx.uows, ctx.sealer, principal.profile_id, body.code, False)

    return router
