"""The ISED operations dashboard (staff only): figures as JSON, charts as SVG."""


from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from services.reports.adapters import svg, views
from services.reports.api import schemas as s
from services.reports.domain.dashboard import Pending, Tally
from services.reports.handlers import reading
from shared.auth import Principal
from shared.errors import NotFoundError
from shared.web.paging import Page, Paging
from shared.web.security import require_staff

if TYPE_CHECKING:
    from services.reports.bootstrap import ReportsService

SVG = "image/svg+xml"


def _day_counts(tally: Tally) -> list[s.DayCount]:
    return [s.DayCount(day=day, status=status, uploads=n) for day, status, n in tally.by_day()]


def _pending_view(item: Pending, today: Any) -> s.PendingView:
    return s.PendingView(ref=item.ref, kind=item.kind, office=item.office, state=item.state,
                         submitted_at=item.submitted_at, due_on=item.due_on(),
                         age_days=item.age_days(today), late=item.late(today))


def _page(items: list[Any], paging: Any) -> Page[Any]:
    return Page(items=items[paging.offset:paging.offset + paging.limit], total=len(items),
                limit=paging.limit, offset=paging.offset)


async def dashboard_view(svc: "ReportsService", days: int | None) -> s.DashboardView:
    """Every figure of the dashboard (the API and the page share it)."""
    today = svc.infra.clock.today()
    window = days or svc.settings.dashboard_days
    figures = await reading.upload_tally(svc.uows, today, window)
    overdue = await reading.overdue_licences(svc.uows, today)
    async with svc.uows() as uow:
        _, eoi = await views.eoi_licences(uow.session, 1, 0)
    registrations, applications = await reading.pending_queues(
        svc.uows, svc.settings.registration_standard_days)
    return s.DashboardView(
        as_of=today, days=window, uploads_per_day=_day_counts(figures),
        processing_seconds=figures.percentiles(), uploads=figures.uploads(),
        top_error_codes=[s.CodeCount(code=c, count=n) for c, n in figures.top_errors()],
        overdue_licences=len(overdue), open_for_eoi=eoi,
        registrations=s.QueueFigures(**reading.queue_summary(registrations, today)),
        applications=s.QueueFigures(**reading.queue_summary(applications, today)))


def build_operations_router(svc: "ReportsService") -> APIRouter:
    router = APIRouter(prefix="/api/reports/operations", tags=["reports: operations"])
    Caller = Annotated[Principal, Depends(svc.principal)]
    Days = Annotated[int | None, Query(ge=1, le=366)]

    async def tally(days: int | None) -> Tally:
        return await reading.upload_tally(svc.uows, svc.infra.clock.today(),
                                          days or svc.settings.dashboard_days)

    @router.get("/dashboard", response_model=s.DashboardView)
    async def dashboard(principal: Caller, days: Days = None) -> s.DashboardView:
        require_staff(principal)
        return await dashboard_view(svc, days)

    @router.get("/uploads-per-day", response_model=Page[s.DayCount])
    async def uploads_per_day(principal: Caller, paging: Paging,
                              days: Days = None) -> Page[s.DayCount]:
        require_staff(principal)
        return _page(_day_counts(await tally(days)), paging)

    @router.get("/overdue", response_model=Page[s.OverdueView],
                summary="Licences overdue for their site-data upload (compliance)")
    async def overdue(principal: Caller, paging: Paging) -> Page[s.OverdueView]:
        require_staff(principal)
        late = await reading.overdue_licences(svc.uows, svc.infra.clock.today())
        return _page([s.OverdueView(licence_number=o.line.licence_number,
                                    licensee_name=o.licensee_name,
                                    account_number=o.account_number,
                                    last_upload=o.line.last_upload, next_due=o.line.next_due)
                      for o in late], paging)

    @router.get("/eoi", response_model=Page[s.EoiView],
                summary="Returned spectrum open for expressions of interest")
    async def eoi(principal: Caller, paging: Paging) -> Page[s.EoiView]:
        require_staff(principal)
        async with svc.uows() as uow:
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
        today = svc.infra.clock.today()
        registrations, applications = await reading.pending_queues(
            svc.uows, svc.settings.registration_standard_days)
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


def chart_svg(name: str, tally: Tally) -> str:
    if name == "uploads":
        counts = {(day, status): n for day, status, n in tally.by_day()}
        days = sorted({day for day, _ in counts})
        statuses = sorted({status for _, status in counts})
        series = {st: [counts.get((d, st), 0) for d in days] for st in statuses}
        return svg.stacked_bars_svg(days, series, "Uploads per day by status")
    if name == "errors":
        return svg.horizontal_bars_svg([(c, float(n)) for c, n in tally.top_errors()],
                                       "Most frequent error codes")
    if name == "processing":
        return svg.horizontal_bars_svg(list(tally.percentiles().items()),
                                       "Processing time percentiles", " s")
    raise NotFoundError("RP-CHART-UNKNOWN", "No such chart.",
                        fix="Use uploads, errors or processing.")
