"""The reports HTTP API under /api/reports: the status report of an account (private)."""


from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from services.reports.adapters import views
from services.reports.adapters.export import csv_stream
from services.reports.api import schemas as s
from services.reports.context import ReportsContext
from services.reports.domain.status import STATUS_COLUMNS, StatusLine, status_row
from services.reports.handlers import reading
from shared.auth import Principal
from shared.web.paging import Page, Paging


def line_view(line: StatusLine) -> s.StatusLineView:
    return s.StatusLineView(licence_number=line.licence_number, status=line.status,
                            must_upload=line.must_upload, records_on_file=line.records_on_file,
                            last_upload=line.last_upload, next_due=line.next_due,
                            overdue=line.overdue)


def build_router(ctx: ReportsContext) -> APIRouter:
    router = APIRouter(prefix="/api/reports", tags=["reports"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    @router.get("/accounts", response_model=Page[s.AccountView],
                summary="The accounts whose status report this web profile may see")
    async def my_accounts(principal: Caller, paging: Paging) -> Page[s.AccountView]:
        async with ctx.uows() as uow:
            numbers = await views.accounts_of(uow.session, principal.profile_id)
        chosen = numbers[paging.offset:paging.offset + paging.limit]
        return Page(items=[s.AccountView(account_number=n) for n in chosen], total=len(numbers),
                    limit=paging.limit, offset=paging.offset)

    @router.get("/accounts/{account}/status-report", response_model=s.StatusReportView,
                summary="Spectrum Licence Site Data Status Report")
    async def status_report(account: str, principal: Caller,
                            paging: Paging) -> s.StatusReportView:
        report = await reading.status_report(ctx.uows, principal, account,
                                             ctx.clock.today())
        chosen = report.lines[paging.offset:paging.offset + paging.limit]
        return s.StatusReportView(
            account_number=report.account_number, legal_name=report.legal_name,
            as_of=report.today, licences=Page(items=[line_view(x) for x in chosen],
                                              total=len(report.lines), limit=paging.limit,
                                              offset=paging.offset))

    @router.get("/accounts/{account}/status-report.csv", response_class=StreamingResponse,
                summary="The status report as CSV")
    async def status_report_csv(account: str, principal: Caller) -> StreamingResponse:
        report = await reading.status_report(ctx.uows, principal, account,
                                             ctx.clock.today())
        rows = (status_row(line) for line in report.lines)
        return StreamingResponse(csv_stream(STATUS_COLUMNS, rows), media_type="text/csv",
                                 headers={"content-disposition": "attachment; filename="
                                          f'"status-report-{report.account_number}.csv"'})

    return router
