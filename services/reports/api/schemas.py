"""Response bodies of the reports API."""

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


class StationView(BaseModel):
    licence_number: str
    licensee_name: str | None
    location: str
    province: str | None
    latitude: float | None
    longitude: float | None
    technology: str | None
    tx_frequency: float | None
    rx_frequency: float | None
    line: int
    last_upload: date | None
    distance_km: float | None = None
    fields: list[str]


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


class DayCount(BaseModel):
    day: str
    status: str
    uploads: int


class CodeCount(BaseModel):
    code: str
    count: int


class QueueFigures(BaseModel):
    pending: int
    within_standard: int
    late: int


class DashboardView(BaseModel):
    as_of: date
    days: int
    uploads_per_day: list[DayCount]
    processing_seconds: dict[str, float]
    uploads: int
    top_error_codes: list[CodeCount]
    overdue_licences: int
    open_for_eoi: int
    registrations: QueueFigures
    applications: QueueFigures


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
