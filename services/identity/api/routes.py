"""The identity HTTP API under /api/identity."""


from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Form
from pydantic import BaseModel
from sqlalchemy import select

from services.identity.adapters import tables as t
from services.identity.handlers.profiles import sign_in
from shared.auth import Principal

if TYPE_CHECKING:
    from services.identity.bootstrap import IdentityService


class TokenView(BaseModel):
    access_token: str
    token_type: str = "bearer"


class AccountLink(BaseModel):
    account_number: str
    relation: str
    rights: list[str]


class MeView(BaseModel):
    profile_id: str
    username: str
    roles: list[str]
    accounts: list[AccountLink]


def build_router(svc: "IdentityService") -> APIRouter:
    router = APIRouter(prefix="/api/identity", tags=["identity"])
    Caller = Annotated[Principal, Depends(svc.principal)]

    @router.post("/token", response_model=TokenView,
                 summary="Sign in (OAuth2 password form) and get a bearer token")
    async def token(username: Annotated[str, Form()],
                    password: Annotated[str, Form()]) -> TokenView:
        settings = svc.settings
        access = await sign_in(svc.uows, username, password, secret=settings.token_secret,
                               ttl_s=settings.token_ttl_s,
                               max_failures=settings.max_failed_sign_ins,
                               lockout=timedelta(minutes=settings.lockout_minutes))
        return TokenView(access_token=access)

    @router.get("/me", response_model=MeView)
    async def me(principal: Caller) -> MeView:
        async with svc.uows() as uow:
            rows = await uow.session.execute(select(t.profile_accounts).where(
                t.profile_accounts.c.profile_id == principal.profile_id))
            links = [AccountLink(account_number=r.account_number, relation=r.relation,
                                 rights=r.rights.split(",")) for r in rows]
        return MeView(profile_id=principal.profile_id, username=principal.username,
                      roles=sorted(principal.roles), accounts=links)

    return router
