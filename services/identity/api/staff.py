"""ISED staff: the registration queues with the three decisions, staff roles, the audit trail."""


from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.identity.adapters import views
from services.identity.api import schemas as s
from services.identity.context import IdentityContext
from services.identity.domain import registration as reg
from services.identity.handlers import review, staff
from services.identity.handlers.profiles import NewProfile
from services.identity.queries import QUEUE_STATUSES, RegistrationView, registration_view
from shared.auth import Principal
from shared.errors import DomainError
from shared.web.paging import Page, Paging
from shared.web.security import require_staff


def build_staff_router(ctx: IdentityContext) -> APIRouter:
    router = APIRouter(prefix="/api/identity", tags=["identity: staff"])

    async def staff_member(principal: Annotated[Principal, Depends(ctx.principal)]) -> Principal:
        return require_staff(principal)

    Staff = Annotated[Principal, Depends(staff_member)]

    @router.get("/queue", response_model=Page[RegistrationView],
                summary="Registrations of the queues the caller's roles work, oldest first")
    async def queue(principal: Staff, paging: Paging,
                    status: Annotated[str, Query(pattern="^(open|pending|info_requested|"
                                                         "decided)$")] = "open",
                    office: Annotated[str | None, Query(max_length=20)] = None
                    ) -> Page[RegistrationView]:
        offices = reg.offices_for(principal.roles)
        if office is not None:
            offices = [o for o in offices if o == office]
        async with ctx.uows() as uow:
            rows, total = await views.queue(uow.session, offices, QUEUE_STATUSES[status],
                                            paging.limit, paging.offset)
            items = [await registration_view(uow.session, r) for r in rows]
        return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)

    @router.post("/registrations/{registration_id}/approve", response_model=s.DecisionView)
    async def approve(registration_id: str, principal: Staff) -> s.DecisionView:
        status = await review.decide(ctx.uows, registration_id, principal, "approve")
        return s.DecisionView(registration_id=registration_id, status=status)

    @router.post("/registrations/{registration_id}/reject", response_model=s.DecisionView)
    async def reject(registration_id: str, body: s.DecisionIn,
                     principal: Staff) -> s.DecisionView:
        status = await review.decide(ctx.uows, registration_id, principal, "reject",
                                     body.reason)
        return s.DecisionView(registration_id=registration_id, status=status)

    @router.post("/registrations/{registration_id}/request-info",
                 response_model=s.DecisionView)
    async def request_info(registration_id: str, body: s.DecisionIn,
                           principal: Staff) -> s.DecisionView:
        status = await review.decide(ctx.uows, registration_id, principal, "request_info",
                                     body.question)
        return s.DecisionView(registration_id=registration_id, status=status)

    @router.post("/staff", status_code=201, response_model=s.ProfileCreated,
                 summary="An administrator creates a staff profile with its roles")
    async def create_staff(body: s.StaffIn, principal: Staff) -> s.ProfileCreated:
        if body.language not in ("en", "fr"):
            raise DomainError("ID-LANGUAGE", "Choose en or fr.", field="language", status=422)
        profile_id = await staff.create_staff(ctx.uows, principal, NewProfile(
            body.username, body.password, body.email, body.language, tuple(body.roles),
            body.name))
        return s.ProfileCreated(profile_id=profile_id)

    @router.put("/staff/{profile_id}/roles", response_model=s.RolesIn,
                summary="Change a staff profile's roles (none: no longer staff); its sessions "
                        "end")
    async def set_roles(profile_id: str, body: s.RolesIn, principal: Staff) -> s.RolesIn:
        return s.RolesIn(roles=list(await staff.set_roles(ctx.uows, principal, profile_id,
                                                          body.roles, ctx.revocations)))

    @router.post("/profiles/{profile_id}/disable", response_model=s.ProfileStatusView,
                 summary="An administrator disables a web profile: no sign-in, sessions end")
    async def disable(profile_id: str, principal: Staff) -> s.ProfileStatusView:
        await staff.disable(ctx.uows, principal, profile_id, True, ctx.revocations)
        return s.ProfileStatusView(profile_id=profile_id, disabled=True)

    @router.post("/profiles/{profile_id}/enable", response_model=s.ProfileStatusView,
                 summary="An administrator enables a disabled web profile again")
    async def enable(profile_id: str, principal: Staff) -> s.ProfileStatusView:
        await staff.disable(ctx.uows, principal, profile_id, False, ctx.revocations)
        return s.ProfileStatusView(profile_id=profile_id, disabled=False)

    @router.get("/security-events", response_model=Page[s.SecurityEventView],
                summary="The audit trail (administrators), newest first")
    async def audit_trail(principal: Staff, paging: Paging,
                          profile_id: Annotated[str | None, Query(max_length=36)] = None
                          ) -> Page[s.SecurityEventView]:
        staff.must_admin(principal)
        async with ctx.uows() as uow:
            rows, total = await views.security_events(uow.session, profile_id, paging.limit,
                                                      paging.offset)
        return Page(items=[s.SecurityEventView.model_validate(r._mapping) for r in rows],
                    total=total, limit=paging.limit, offset=paging.offset)

    return router
