"""What the sitedata API returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class UploadAccepted(BaseModel):
    id: str
    status: str


class ProgressView(BaseModel):
    """Rows checked and rows applied so far, and a percentage; ``phase`` is waiting,
    checking, applying or done. The upload's ``status`` stays one of the three statuses."""

    phase: str
    rows_checked: int
    rows_applied: int
    percent: int


class UploadView(BaseModel):
    id: str
    status: str
    mode: str
    filename: str
    account_number: str
    size: int
    sha256: str
    records: int
    error_count: int
    warning_count: int
    capped: bool
    received_at: datetime
    validated_at: datetime | None = None  # when checking ended
    processed_at: datetime | None  # when the stations were applied (or the errors found)
    progress: ProgressView | None = None


class FindingView(BaseModel):
    line: int | None
    column: str | None
    column_name: str | None
    value: str | None
    code: str
    message: str


class LicenceCount(BaseModel):
    licence_number: str
    account_number: str
    special: str | None
    records: int
    stations: int


class SummaryView(BaseModel):
    """The official receipt of an upload."""

    upload: UploadView
    uploader: str
    licences: list[LicenceCount]


class StationView(BaseModel):
    licence_number: str
    line: int
    location: str
    province: str | None
    latitude: float | None
    longitude: float | None
    technology: str | None
    tx_frequency: float | None
    rx_frequency: float | None
    fields: list[str]


class PreviewLicence(BaseModel):
    licence_number: str
    special: str | None
    stations_on_file: int
    stations_in_file: int
    added: int
    removed: int
    unchanged: int


class PreviewView(BaseModel):
    valid: bool
    records: int
    error_count: int
    errors: list[FindingView]
    warnings: list[FindingView]
    licences: list[PreviewLicence]
