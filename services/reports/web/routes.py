"""The reports pages: the status report (signed in), the public Site Data Browser, licence
list and analytics downloads, and the ISED operations dashboard (staff) with SVG charts."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from services.reports.adapters import svg, views
from services.reports.context import ReportsContext
from services.reports.domain.search import StationQuery
from services.reports.handlers import reading
from services.reports.queries import (
    chart_svg,
    dashboard_view,
    event_documents,
    station_query,
    station_view,
)
from shared.auth import Principal
from shared.web.paging import PageOffset
from shared.web.portal import Portal

PAGE = 50
SHORT = 20


def _query_string(request: Request, **changes: object) -> str:
    params = {k: v for k, v in request.query_params.items() if v and k not in changes}
    params.update({k: str(v) for k, v in changes.items()})
    return urlencode(params)


def build_pages(ctx: ReportsContext, portal: Portal) -> APIRouter:
    router = portal.router("/reports")
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]
    Staff = Annotated[Principal, Depends(portal.staff)]
    Search = Annotated[StationQuery, Depends(station_query)]
    Limit = Annotated[int, Query(ge=1, le=500)]

    @router.get("", response_class=HTMLResponse)
    async def dashboard(request: Request, principal: Staff) -> HTMLResponse:
        board = await dashboard_view(ctx, None)
        tally = await reading.upload_tally(ctx.uows, board.as_of, board.days)
        today = ctx.clock.today()
        overdue = await reading.overdue_licences(ctx.uows, today)
        async with ctx.uows() as uow:
            eoi, _ = await views.eoi_licences(uow.session, SHORT, 0)
        registrations, applications = await reading.pending_queues(
            ctx.uows, ctx.settings.registration_standard_days)
        charts = {name: Markup(chart_svg(name, tally))  # noqa: S704 - built and escaped here
                  for name in ("uploads", "processing", "errors")}
        return portal.render(request, "reports/dashboard.html", {
            "board": board, "charts": charts, "overdue": overdue[:SHORT], "eoi": eoi,
            "late_registrations": [r for r in registrations if r.late(today)][:SHORT],
            "late_applications": [a for a in applications if a.late(today)][:SHORT],
            "today": today})

    async def status_page(request: Request, account: str, principal: Principal,
                          accounts: list[str]) -> HTMLResponse:
        report = await reading.status_report(ctx.uows, principal, account,
                                             ctx.clock.today())
        return portal.render(request, "reports/status.html", {
            "report": report, "others": [a for a in accounts if a != account]})

    async def accounts_of(principal: Principal) -> tuple[list[str], str | None]:
        async with ctx.uows() as uow:
            accounts = await views.accounts_of(uow.session, principal.profile_id)
            active = await views.active_account(uow.session, principal.profile_id)
        return accounts, active

    @router.get("/status", response_class=HTMLResponse)
    async def my_status(request: Request, principal: SignedIn) -> HTMLResponse:
        """The table of the account the profile acts for (its only one, or the one chosen);
        without a choice among several, the list of its accounts."""
        accounts, active = await accounts_of(principal)
        chosen = active if active in accounts else (accounts[0] if len(accounts) == 1
                                                    else None)
        if chosen is None:
            return portal.render(request, "reports/accounts.html", {"accounts": accounts})
        return await status_page(request, chosen, principal, accounts)

    @router.get("/status/{account}", response_class=HTMLResponse)
    async def status(request: Request, account: str, principal: SignedIn) -> HTMLResponse:
        accounts, _ = await accounts_of(principal)
        return await status_page(request, account, principal, accounts)

    @router.get("/browser", response_class=HTMLResponse)
    async def browser(request: Request, query: Search, limit: Limit = PAGE,
                      offset: PageOffset = 0) -> HTMLResponse:
        async with ctx.uows() as uow:
            items, total = await views.search_stations(uow.session, query, limit, offset)
            everything, _ = await views.search_stations(uow.session, query,
                                                        ctx.settings.map_max_points)
        points = [(i["latitude"], i["longitude"], f"{i['licence_number']} {i['location']}")
                  for i in everything if i["latitude"] is not None and i["longitude"] is not None]
        page: dict[str, Any] = {"total": total, "limit": limit, "offset": offset}
        return portal.render(request, "reports/browser.html", {
            "stations": [station_view(i) for i in items], "page": page,
            "values": dict(request.query_params),
            "map": Markup(svg.map_svg(points, f"{total}")),  # noqa: S704 - escaped in svg
            "csv_url": f"/api/reports/public/stations.csv?{_query_string(request)}",
            "prev_url": f"?{_query_string(request, offset=max(offset - limit, 0))}",
            "next_url": f"?{_query_string(request, offset=offset + limit)}"})

    @router.get("/licences", response_class=HTMLResponse)
    async def licences(request: Request, limit: Limit = PAGE, offset: PageOffset = 0,
                       licensee: Annotated[str | None, Query(max_length=200)] = None
                       ) -> HTMLResponse:
        async with ctx.uows() as uow:
            rows, total = await views.public_licences(uow.session, licensee, limit, offset)
        return portal.render(request, "reports/licences.html", {
            "licences": rows, "values": {"licensee": licensee or ""},
            "page": {"total": total, "limit": limit, "offset": offset}})

    @router.get("/analytics", response_class=HTMLResponse)
    async def analytics(request: Request) -> HTMLResponse:
        return portal.render(request, "reports/analytics.html", {
            "documents": sorted(event_documents()), "today": ctx.clock.today()})

    return router
