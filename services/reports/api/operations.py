"""The ISED operations dashboard (staff only): figures as JSON, charts as SVG."""


from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from services.reports.adapters import views
from services.reports.api import schemas as s
from services.reports.context import ReportsContext
from services.reports.domain.dashboard import Pending, Tally
from services.reports.handlers import reading
from services.reports.queries import DashboardView, DayCount, chart_svg, dashboard_view, day_counts
from shared.auth import Principal
from shared.errors import NotFoundError
from shared.web.paging import Page, Paging
from shared.web.security import require_staff

SVG = "image/svg+xml"


def _pending_view(item: Pending, today: Any) -> s.PendingView:
    return s.PendingView(ref=item.ref, kind=item.kind, office=item.office, state=item.state,
                         submitted_at=item.submitted_at, due_on=item.due_on(),
                         age_days=item.age_days(today), late=item.late(today))


def _page(items: list[Any], paging: Any) -> Page[Any]:
    return Page(items=items[paging.offset:paging.offset + paging.limit], total=len(items),
                limit=paging.limit, offset=paging.offset)


def build_operations_router(ctx: ReportsContext) -> APIRouter:
    router = APIRouter(prefix="/api/reports/operations", tags=["reports: operations"])
    Caller = Annotated[Principal, Depends(ctx.principal)]
    Days = Annotated[int | None, Query(ge=1, le=366)]

    async def tally(days: int | None) -> Tally:
        return await reading.upload_tally(ctx.uows, ctx.clock.today(),
                                          days or ctx.settings.dashboard_days)

    @router.get("/dashboard", response_model=DashboardView)
    async def dashboard(principal: Caller, days: Days = None) -> DashboardView:
        require_staff(principal)
        return await dashboard_view(ctx, days)

    @router.get("/uploads-per-day", response_model=Page[DayCount])
    async def uploads_per_day(principal: Caller, paging: Paging,
                              days: Days = None) -> Page[DayCount]:
        require_staff(principal)
        return _page(day_counts(await tally(days)), paging)

    @router.get("/overdue", response_model=Page[s.OverdueView],
                summary="Licences overdue for their site-data upload (compliance)")
    async def overdue(principal: Caller, paging: Paging) -> Page[s.OverdueView]:
        require_staff(principal)
        late = await reading.overdue_licences(ctx.uows, ctx.clock.today())
        return _page([s.OverdueView(licence_number=o.line.licence_number,
                                    licensee_name=o.licensee_name,
                                    account_number=o.account_number,
                                    last_upload=o.line.last_upload, next_due=o.line.next_due)
                      for o in late], paging)

    @router.get("/eoi", response_model=Page[s.EoiView],
                summary="Returned spectrum open for expressions of interest")
    async def eoi(principal: Caller, paging: Paging) -> Page[s.EoiView]:
        require_staff(principal)
        async with ctx.uows() as uow:
            rows, total = await views.eoi_licences(uow.session, paging.limit, paging.offset)
        return Page(items=[s.EoiView(licence_number=r.licence_number,
                                     licensee_name=r.licensee_name, service=r.service,
                                     service_area=r.service_area,
                                     returned_on=r.status_changed_on) for r in rows],
                    total=total, limit=paging.limit, offset=paging.offset)

    @router.get("/pending/{queue}", response_model=Page[s.PendingView],
                summary="Pending registrations or applications against their service standard")
    async def pending(queue: str, principal: Caller, paging: Paging) -> Page[s.PendingView]:
        require_staff(principal)
        today = ctx.clock.today()
        registrations, applications = await reading.pending_queues(
            ctx.uows, ctx.settings.registration_standard_days)
        chosen = _queue(queue, registrations, applications)
        return _page([_pending_view(i, today) for i in chosen], paging)

    @router.get("/charts/{chart}.svg", response_class=Response,
                summary="A dashboard chart: uploads, errors or processing")
    async def chart(chart: str, principal: Caller, days: Days = None) -> Response:
        require_staff(principal)
        return Response(chart_svg(chart, await tally(days)), media_type=SVG)

    return router


def _queue(name: str, registrations: list[Pending], applications: list[Pending]
           ) -> list[Pending]:
    queues = {"registrations": registrations, "applications": applications}
    if name not in queues:
        raise NotFoundError("RP-QUEUE-UNKNOWN", "No such queue.",
                            fix="Use registrations or applications.")
    return queues[name]
