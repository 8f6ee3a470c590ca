"""Pages after registration: the applicant's registration (answer and resubmit), the officers'
queue and decisions, the profile with its accounts and audit trail, sub-users, invitations
and password reset."""

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.identity.adapters import views
from services.identity.context import IdentityContext
from services.identity.domain import registration as reg
from services.identity.domain.rights import ALL_RIGHTS, parse
from services.identity.handlers import access, registration, review, security
from services.identity.handlers.profiles import NewProfile
from services.identity.queries import QUEUE_STATUSES, registration_view
from shared.auth import Principal
from shared.errors import DomainError, NotFoundError
from shared.web.paging import PageOffset
from shared.web.portal import FormErrors, Portal

PAGE = 25


def build_manage_pages(ctx: IdentityContext, portal: Portal) -> APIRouter:
    router = portal.router("/identity")
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]
    Staff = Annotated[Principal, Depends(portal.staff)]

    async def load(registration_id: str, principal: Principal) -> Any:
        async with ctx.uows() as uow:
            row = await views.registration(uow.session, registration_id)
            if row is None or (row.profile_id != principal.profile_id
                               and not principal.is_staff):
                raise NotFoundError("ID-REG-NOT-FOUND", "No such registration.")
            if row.profile_id != principal.profile_id:
                review.may_review(principal, row.office)
            return await registration_view(uow.session, row)

    # --- the applicant ------------------------------------------------------------------
    async def show(request: Request, registration_id: str, principal: Principal,
                   officer: bool, errors: FormErrors | None = None) -> HTMLResponse:
        item = await load(registration_id, principal)
        return portal.render(request, "identity/registration.html",
                             {"item": item, "values": {}, "officer": officer},
                             errors=errors, status=400 if errors else 200)

    @router.get("/registrations/{registration_id}", response_class=HTMLResponse)
    async def mine(request: Request, registration_id: str, principal: SignedIn
                   ) -> HTMLResponse:
        return await show(request, registration_id, principal, False)

    @router.post("/registrations/{registration_id}", response_class=HTMLResponse)
    async def answer(request: Request, registration_id: str, principal: SignedIn) -> Response:
        values = await portal.form(request)
        try:
            await registration.resubmit(ctx.uows, registration_id, principal.profile_id,
                                        registration.Answer(values.get("answer", "")))
        except DomainError as exc:
            return await show(request, registration_id, principal, False,
                              FormErrors.from_error(exc))
        return portal.redirect(f"/identity/registrations/{registration_id}",
                               notice="identity.answer.done")

    # --- officers -----------------------------------------------------------------------
    @router.get("/officer/queue", response_class=HTMLResponse)
    async def queue(request: Request, principal: Staff, offset: PageOffset = 0,
                    status: Annotated[str, Query(pattern="^(open|pending|info_requested|"
                                                         "decided)$")] = "open"
                    ) -> HTMLResponse:
        async with ctx.uows() as uow:
            rows, total = await views.queue(uow.session, reg.offices_for(principal.roles),
                                            QUEUE_STATUSES[status], PAGE, offset)
        return portal.render(request, "identity/queue.html", {
            "rows": rows, "page": {"total": total, "limit": PAGE, "offset": offset},
            "status": status, "queues": reg.offices_for(principal.roles)})

    @router.get("/officer/registrations/{registration_id}", response_class=HTMLResponse)
    async def examine(request: Request, registration_id: str, principal: Staff
                      ) -> HTMLResponse:
        return await show(request, registration_id, principal, True)

    @router.post("/officer/registrations/{registration_id}", response_class=HTMLResponse)
    async def decide(request: Request, registration_id: str, principal: Staff) -> Response:
        values = await portal.form(request)
        decision = values.get("decision", "")
        if decision not in ("approve", "reject", "request_info"):
            return await show(request, registration_id, principal, True,
                              FormErrors().add("decision", "identity.decide.missing"))
        try:
            await review.decide(ctx.uows, registration_id, principal, decision,
                                values.get("reason" if decision == "reject" else "question",
                                           ""))
        except DomainError as exc:
            return await show(request, registration_id, principal, True,
                              FormErrors.from_error(exc))
        return portal.redirect("/identity/officer/queue", notice=f"identity.decide.{decision}")

    # --- the profile --------------------------------------------------------------------
    @router.get("/profile", response_class=HTMLResponse)
    async def profile(request: Request, principal: SignedIn, offset: PageOffset = 0
                      ) -> HTMLResponse:
        async with ctx.uows() as uow:
            me = await views.profile(uow.session, principal.profile_id)
            links = await views.links(uow.session, principal.profile_id)
            regs, _ = await views.registrations_of(uow.session, principal.profile_id, 10, 0)
            events, total = await views.security_events(uow.session, principal.profile_id,
                                                        PAGE, offset)
        return portal.render(request, "identity/profile.html", {
            "me": me, "links": [(link, parse(link.rights)) for link in links],
            "registrations": regs, "events": events,
            "page": {"total": total, "limit": PAGE, "offset": offset}})

    # --- sub-users ----------------------------------------------------------------------
    @router.get("/accounts/{account}/users", response_class=HTMLResponse)
    async def users_page(request: Request, account: str, principal: SignedIn) -> HTMLResponse:
        return await users(request, account, principal)

    async def users(request: Request, account: str, principal: Principal,
                    errors: FormErrors | None = None, values: dict[str, str] | None = None
                    ) -> HTMLResponse:
        async with ctx.uows() as uow:
            await access.must_own(uow, principal.profile_id, account)
            rows, _ = await views.account_users(uow.session, account, 200, 0)
        return portal.render(request, "identity/users.html", {
            "account": account, "rows": [(r, parse(r.rights)) for r in rows],
            "all_rights": ALL_RIGHTS, "values": values or {}},
            errors=errors, status=400 if errors else 200)

    @router.post("/accounts/{account}/users", response_class=HTMLResponse)
    async def change_users(request: Request, account: str, principal: SignedIn) -> Response:
        form = await request.form()
        portal.check_csrf(request, str(form.get("csrf_token") or ""))
        rights = [str(v) for v in form.getlist("rights")]
        values = {k: str(form.get(k) or "").strip() for k in ("action", "email", "profile_id")}
        try:
            notice = await _change(ctx, principal, account, values, rights)
        except DomainError as exc:
            return await users(request, account, principal, FormErrors.from_error(exc), values)
        return portal.redirect(f"/identity/accounts/{account}/users", notice=notice)

    # --- invitations and password reset ----------------------------------------------------
    @router.get("/invitations/{token}", response_class=HTMLResponse)
    async def invitation(request: Request, token: str) -> HTMLResponse:
        return portal.render(request, "identity/invitation.html", {"token": token,
                                                                   "values": {}})

    @router.post("/invitations/{token}", response_class=HTMLResponse)
    async def accept(request: Request, token: str) -> Response:
        values = await portal.form(request)
        principal = portal.principal(request)
        try:
            new = None if principal else _new_profile(values)
            await access.accept(ctx.uows, token, principal.profile_id if principal else None,
                                new)
        except DomainError as exc:
            return portal.render(request, "identity/invitation.html",
                                 {"token": token, "values": values}, status=400,
                                 errors=FormErrors.from_error(exc))
        return portal.redirect("/identity/profile" if principal else "/identity/signin",
                               notice="identity.invitation.done")

    @router.get("/reset", response_class=HTMLResponse)
    async def reset_request_page(request: Request) -> HTMLResponse:
        return portal.render(request, "identity/reset.html", {"token": None, "values": {}})

    @router.post("/reset", response_class=HTMLResponse)
    async def reset_request(request: Request) -> Response:
        values = await portal.form(request)
        if values.get("who"):
            ctx.limits.reset(request, values["who"])
            await security.request_reset(ctx.uows, values["who"], ctx.settings.public_base_url,
                                         timedelta(minutes=ctx.settings.reset_link_minutes))
        return portal.redirect("/identity/signin", notice="identity.reset.sent")

    @router.get("/reset/{token}", response_class=HTMLResponse)
    async def reset_page(request: Request, token: str) -> HTMLResponse:
        return portal.render(request, "identity/reset.html", {"token": token, "values": {}})

    @router.post("/reset/{token}", response_class=HTMLResponse)
    async def reset(request: Request, token: str) -> Response:
        values = await portal.form(request)
        try:
            await security.reset_password(ctx.uows, token, values.get("password", ""),
                                          values.get("confirm_password", ""), ctx.revocations)
        except DomainError as exc:
            return portal.render(request, "identity/reset.html", {"token": token,
                                                                  "values": {}},
                                 status=400, errors=FormErrors.from_error(exc))
        return portal.redirect("/identity/signin", notice="identity.reset.done")

    return router


def _new_profile(values: dict[str, str]) -> NewProfile:
    if values.get("password") != values.get("confirm_password"):
        raise DomainError("ID-PASSWORD-MISMATCH", "The two passwords are not the same.",
                          field="confirm_password", status=422)
    for name in ("username", "email"):
        if not values.get(name):
            raise DomainError("ID-FIELD-MISSING", "Enter a value.", field=name, status=422)
    return NewProfile(values["username"], values.get("password", ""), values["email"],
                      values.get("language") or "en", name=values.get("name", ""))


async def _change(ctx: IdentityContext, principal: Principal, account: str,
                  values: dict[str, str], rights: list[str]) -> str:
    action = values["action"]
    if action == "invite":
        await access.invite(ctx.uows, principal.profile_id,
                            access.Invitation(account, values["email"], rights),
                            ctx.settings.public_base_url,
                            timedelta(days=ctx.settings.invitation_days))
        return "identity.users.invited"
    if action == "remove":
        await access.remove(ctx.uows, principal.profile_id, account, values["profile_id"])
        return "identity.users.removed"
    await access.set_rights(ctx.uows, principal.profile_id, account, values["profile_id"],
                            rights)
    return "identity.users.changed"
