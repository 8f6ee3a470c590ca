"""Use cases that read: the status report, compliance and the operations dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.reports.adapters import dashboard_store, views
from services.reports.adapters import tables as t
from services.reports.domain.dashboard import Pending, Tally, standard_summary
from services.reports.domain.status import LicenceObligation, StatusLine, status_line
from shared.auth import Principal
from shared.errors import NotFoundError
from shared.messaging.uow import UnitOfWorkFactory


def _obligation(row: Any) -> LicenceObligation:
    return LicenceObligation(row.licence_number, row.status, row.issued_on,
                             row.site_data_required, row.site_data_from)


def _line(row: Any, today: date) -> StatusLine:
    last = row.last_upload_at.date() if row.last_upload_at else None
    return status_line(_obligation(row), row.station_count or 0, last, today)


@dataclass(frozen=True)
class StatusReport:
    account_number: str
    legal_name: str
    today: date
    lines: list[StatusLine]


async def status_report(uows: UnitOfWorkFactory, principal: Principal, account: str,
                        today: date) -> StatusReport:
    """Visible to the web profiles linked to the account and to ISED staff only."""
    async with uows() as uow:
        allowed = principal.is_staff or await views.may_view(uow.session, principal.profile_id,
                                                              account)
        name = await views.account_name(uow.session, account) if allowed else None
        rows = await views.account_licences(uow.session, account) if allowed else []
    if not allowed or (name is None and not rows):
        raise NotFoundError("RP-ACCOUNT-NOT-FOUND",
                            "No such account for this web profile.",
                            fix="Choose one of the accounts your web profile may act for.")
    return StatusReport(account, name or "", today, [_line(r, today) for r in rows])


@dataclass(frozen=True)
class Overdue:
    line: StatusLine
    licensee_name: str
    account_number: str


async def overdue_licences(uows: UnitOfWorkFactory, today: date) -> list[Overdue]:
    async with uows() as uow:
        rows = await views.account_licences(uow.session, None)
    lines = [(_line(r, today), r) for r in rows]
    late = [Overdue(line, r.licensee_name, r.account_number) for line, r in lines if line.overdue]
    return sorted(late, key=lambda o: (o.line.next_due or today, o.line.licence_number))


async def upload_tally(uows: UnitOfWorkFactory, today: date, days: int) -> Tally:
    """The running aggregates over the last ``days`` days, from the stored days."""
    async with uows() as uow:
        stored = await dashboard_store.load_days(uow.session, today - timedelta(days=days - 1))
    return Tally.of_days(stored)


def _pending(row: Any, ref: str, kind: str, standard_days: int) -> Pending:
    return Pending(ref, kind, row.office, row.submitted_at, standard_days, row.state)


async def pending_queues(uows: UnitOfWorkFactory, registration_days: int
                         ) -> tuple[list[Pending], list[Pending]]:
    async with uows() as uow:
        registrations = await views.open_items(uow.session, t.registrations)
        applications = await views.open_items(uow.session, t.applications)
    return ([_pending(r, r.registration_id, r.kind, registration_days) for r in registrations],
            [_pending(a, a.number, a.family, a.service_standard_days) for a in applications])


def queue_summary(items: list[Pending], today: date) -> dict[str, int]:
    return standard_summary(items, today)
