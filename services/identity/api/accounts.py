"""An owner's sub-users and invitations."""


from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends

from services.identity.adapters import views
from services.identity.api import schemas as s
from services.identity.context import IdentityContext
from services.identity.domain.registration import RegistrationType, user_problems
from services.identity.domain.rights import parse
from services.identity.handlers import access
from services.identity.handlers.profiles import NewProfile
from services.identity.handlers.registration import incomplete
from shared.auth import Principal
from shared.web.paging import Page, Paging

_SUBUSER = RegistrationType("subuser", "Sub-user", "")


def build_accounts_router(ctx: IdentityContext) -> APIRouter:
    router = APIRouter(prefix="/api/identity", tags=["identity: sub-users"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    @router.get("/accounts/{account}/users", response_model=Page[s.AccountUserView],
                summary="Who acts for the account (owner only)")
    async def users(account: str, principal: Caller, paging: Paging
                    ) -> Page[s.AccountUserView]:
        async with ctx.uows() as uow:
            await access.must_own(uow, principal.profile_id, account)
            rows, total = await views.account_users(uow.session, account, paging.limit,
                                                    paging.offset)
        items = [s.AccountUserView(profile_id=r.profile_id, username=r.username, email=r.email,
                                   relation=r.relation, rights=parse(r.rights)) for r in rows]
        return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)

    @router.post("/accounts/{account}/invitations", status_code=201,
                 response_model=s.InvitationCreated,
                 summary="Invite a sub-user by e-mail with the rights they will have")
    async def invite(account: str, body: s.InvitationIn,
                     principal: Caller) -> s.InvitationCreated:
        invitation_id = await access.invite(
            ctx.uows, principal.profile_id,
            access.Invitation(account, body.email.strip(), body.rights, body.language),
            ctx.settings.public_base_url, timedelta(days=ctx.settings.invitation_days))
        return s.InvitationCreated(invitation_id=invitation_id)

    @router.post("/invitations/{token}/accept", response_model=s.ProfileCreated,
                 summary="Accept an invitation: signed in, or creating a web profile")
    async def accept(token: str, body: s.AcceptIn,
                     signed_in: Annotated[Principal | None, Depends(ctx.maybe_principal)]
                     ) -> s.ProfileCreated:
        new = None
        if signed_in is None and body.user is not None:
            problems = user_problems(_SUBUSER, body.user.model_dump())
            if problems:
                raise incomplete(problems)
            user = body.user
            new = NewProfile(user.username, user.password, user.email, user.language,
                             name=user.name, phone=user.phone)
        profile_id = await access.accept(ctx.uows, token,
                                         signed_in.profile_id if signed_in else None, new)
        return s.ProfileCreated(profile_id=profile_id)

    @router.put("/accounts/{account}/users/{profile_id}", response_model=s.RightsIn,
                summary="Change what a sub-user may do")
    async def rights(account: str, profile_id: str, body: s.RightsIn,
                     principal: Caller) -> s.RightsIn:
        kept = await access.set_rights(ctx.uows, principal.profile_id, account, profile_id,
                                       body.rights)
        return s.RightsIn(rights=kept)

    @router.delete("/accounts/{account}/users/{profile_id}", status_code=204,
                   summary="Remove a sub-user from the account")
    async def remove(account: str, profile_id: str, principal: Caller) -> None:
        await access.remove(ctx.uows, principal.profile_id, account, profile_id)

    return router
