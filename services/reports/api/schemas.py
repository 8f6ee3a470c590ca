"""Response bodies of the reports API (what the pages show too is in ``queries.py``)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from shared.web.paging import Page

DUE_GUIDANCE = ("Site data is also due before a new installation starts operating "
                "(CPC-2-1-23 5.11): upload it first.")


class AccountView(BaseModel):
    account_number: str


class StatusLineView(BaseModel):
    licence_number: str
    status: str
    must_upload: bool
    records_on_file: int
    last_upload: date | None
    next_due: date | None
    overdue: bool


class StatusReportView(BaseModel):
    account_number: str
    legal_name: str
    as_of: date
    guidance: str = DUE_GUIDANCE
    licences: Page[StatusLineView]


class PublicLicenceView(BaseModel):
    licence_number: str
    licensee_name: str
    kind: str
    status: str
    service: str
    service_area: str
    issued_on: date
    expires_on: date
    last_upload: date | None
    station_rows: int


class ChangeView(BaseModel):
    seq: int
    kind: str
    licence_number: str
    change: str
    at: datetime
    data: dict[str, object]


class OverdueView(BaseModel):
    licence_number: str
    licensee_name: str
    account_number: str
    last_upload: date | None
    next_due: date | None


class EoiView(BaseModel):
    licence_number: str
    licensee_name: str
    service: str
    service_area: str
    returned_on: date | None


class PendingView(BaseModel):
    ref: str
    kind: str
    office: str
    state: str
    submitted_at: datetime
    due_on: date
    age_days: int
    late: bool


class EventDocView(BaseModel):
    name: str
    url: str
