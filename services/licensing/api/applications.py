"""The application framework's HTTP API under /api/licensing (every family alike)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from services.licensing import queries
from services.licensing.adapters import repository as repo
from services.licensing.api import schemas as s
from services.licensing.context import LicensingContext
from services.licensing.handlers import applications as apps
from services.licensing.handlers import review
from services.licensing.handlers.plugin import Decision
from services.licensing.queries import ApplicationSummary, ApplicationView, ValidationView
from shared.auth import Principal
from shared.web.paging import Page, Paging


def build_router(ctx: LicensingContext) -> APIRouter:
    router = APIRouter(prefix="/api/licensing", tags=["licensing applications"])
    Caller = Annotated[Principal, Depends(ctx.principal)]
    standards = ctx.settings.service_standard_days

    @router.get("/application-types", response_model=list[s.FamilyView])
    async def types(_: Caller) -> list[s.FamilyView]:
        found = [ctx.families.get(n) for n in ctx.families.names()]
        return [s.FamilyView(name=f.spec.name, title=f.spec.title, joint=f.spec.joint,
                             office=f.spec.office,
                             service_standard_days=standards.get(f.spec.name, 60),
                             sections=[{"key": x.key, "title": x.title, "party": x.party}
                                       for x in f.spec.sections]) for f in found if f]

    @router.post("/applications", status_code=201, response_model=s.Created)
    async def create(body: s.NewApplicationIn, who: Caller) -> s.Created:
        async with ctx.uows() as uow:
            new = apps.NewApplication(body.family, body.account_number, body.channel)
            app_id = await apps.create(uow, ctx.families, standards, who, new)
            await uow.commit()
        return s.Created(id=app_id, status="Draft")

    @router.get("/applications", response_model=Page[ApplicationSummary])
    async def mine(who: Caller, paging: Paging, family: str | None = None,
                   status: str | None = None) -> Page[ApplicationSummary]:
        async with ctx.uows() as uow:
            accounts = await repo.linked_accounts(uow.session, who.profile_id)
            rows, total = await repo.list_applications(
                uow.session, accounts=accounts, filters={"family": family, "status": status},
                limit=paging.limit, offset=paging.offset)
        now = ctx.clock.now()
        return Page(items=[queries.summary(r, now) for r in rows], total=total,
                    limit=paging.limit, offset=paging.offset)

    @router.get("/applications/{application_id}", response_model=ApplicationView)
    async def show(application_id: str, who: Caller) -> ApplicationView:
        async with ctx.uows() as uow:
            row = await apps.visible(uow, who, application_id)
            part = None if who.is_staff else await apps.party_of(uow, who, row)
            return await queries.full(uow, ctx.families, row, ctx.clock.now(), part)

    @router.put("/applications/{application_id}/sections/{section}", status_code=204)
    async def save(application_id: str, section: str, who: Caller,
                   data: Annotated[dict[str, Any], Body()]) -> None:
        async with ctx.uows() as uow:
            await apps.save_section(uow, ctx.families, who, application_id, section, data)
            await uow.commit()

    @router.post("/applications/{application_id}/validate", response_model=ValidationView)
    async def validate(application_id: str, who: Caller) -> ValidationView:
        async with ctx.uows() as uow:
            row = await apps.visible(uow, who, application_id)
            issues = await apps.check(uow, ctx.families, row)
        return queries.by_section(ctx.families, row.family, issues)

    @router.post("/applications/{application_id}/submit", response_model=s.Submitted)
    async def submit(application_id: str, who: Caller) -> s.Submitted:
        async with ctx.uows() as uow:
            number = await apps.submit(uow, ctx.families, who, application_id)
            await uow.commit()
        return s.Submitted(id=application_id, number=number, status="Submitted")

    @router.post("/applications/{application_id}/answer", status_code=204)
    async def answer(application_id: str, body: s.TextIn, who: Caller) -> None:
        async with ctx.uows() as uow:
            await apps.answer(uow, who, application_id, body.text)
            await uow.commit()

    @router.post("/applications/{application_id}/withdraw", status_code=204)
    async def withdraw(application_id: str, who: Caller) -> None:
        async with ctx.uows() as uow:
            await apps.withdraw(uow, who, application_id)
            await uow.commit()

    router.include_router(_staff_routes(ctx, Caller))
    return router


def _staff_routes(ctx: LicensingContext, Caller: Any) -> APIRouter:
    router = APIRouter()

    @router.get("/queues", response_model=Page[ApplicationSummary])
    async def queue(who: Caller, paging: Paging, family: str | None = None,
                    office: str | None = None, status: str | None = None,
                    assigned_to: str | None = None) -> Page[ApplicationSummary]:
        review.require_staff(who)
        filters = {"family": family, "office": office, "status": status,
                   "assigned_to": assigned_to}
        async with ctx.uows() as uow:
            rows, total = await repo.list_applications(
                uow.session, accounts=None, filters=filters, limit=paging.limit,
                offset=paging.offset, submitted_only=True)
        now = ctx.clock.now()
        return Page(items=[queries.summary(r, now) for r in rows], total=total,
                    limit=paging.limit, offset=paging.offset)

    @router.get("/prospective-transfers", response_model=Page[s.ProspectiveView])
    async def prospective(who: Caller, paging: Paging) -> Page[s.ProspectiveView]:
        """Prospective transfers found not to meet the objective, with the day after which
        staying in the agreement is a breach (5.6.4.4), soonest first."""
        review.require_staff(who)
        async with ctx.uows() as uow:
            rows = await repo.denied_prospective(uow.session)
        today = ctx.clock.today()
        items = sorted((s.ProspectiveView(
            id=r.id, number=r.number, account_number=r.account_number,
            other_account_number=r.other_account_number,
            breach_after=r.outcome["breach_after"],
            in_breach_if_still_party=today.isoformat() > r.outcome["breach_after"])
            for r in rows), key=lambda v: v.breach_after)
        return Page(items=items[paging.offset:paging.offset + paging.limit], total=len(items),
                    limit=paging.limit, offset=paging.offset)

    @router.post("/applications/{application_id}/assign", status_code=204)
    async def assign(application_id: str, body: s.AssignIn, who: Caller) -> None:
        async with ctx.uows() as uow:
            await review.assign(uow, who, application_id, body.officer)
            await uow.commit()

    @router.post("/applications/{application_id}/checklist", status_code=204)
    async def checklist(application_id: str, body: s.ChecklistIn, who: Caller) -> None:
        async with ctx.uows() as uow:
            await review.set_checklist(uow, who, application_id, body.items)
            await uow.commit()

    @router.post("/applications/{application_id}/request-info", status_code=204)
    async def request_info(application_id: str, body: s.QuestionIn, who: Caller) -> None:
        async with ctx.uows() as uow:
            await review.request_info(uow, who, application_id, body.question)
            await uow.commit()

    @router.post("/applications/{application_id}/decision", response_model=ApplicationView)
    async def decide(application_id: str, body: s.DecisionIn, who: Caller) -> ApplicationView:
        decision = Decision(body.approve, body.reasons, tuple(body.licence_numbers)
                            if body.licence_numbers is not None else None,
                            tuple(body.conditions), body.public_summary)
        async with ctx.uows() as uow:
            await review.decide(uow, ctx.families, ctx.billing, ctx.settings, who,
                                application_id, decision)
            await uow.commit()
        async with ctx.uows() as uow:
            row = await repo.application_row(uow.session, application_id)
            return await queries.full(uow, ctx.families, row, ctx.clock.now(), None)

    return router
