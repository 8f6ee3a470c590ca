"""The Spectrum Licence Site Data Status Report: who must upload, and by when.

The rule (SITEDATA.md, seed 001): with a monthly obligation, the next upload is due on the last
day of the month after the month of the last upload; never uploaded, on the last day of the
month after the later of the obligation's start and the grant date. No obligation, no due date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


def end_of_next_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class LicenceObligation:
    licence_number: str
    status: str
    issued_on: date
    site_data_required: bool
    site_data_from: date | None


def next_due(licence: LicenceObligation, last_upload: date | None) -> date | None:
    """The date the next upload is due, or None when the licence has no obligation."""
    if not licence.site_data_required or licence.status != "Granted":
        return None
    if last_upload is not None:
        return end_of_next_month(last_upload)
    start = max(licence.site_data_from or licence.issued_on, licence.issued_on)
    return end_of_next_month(start)


@dataclass(frozen=True)
class StatusLine:
    licence_number: str
    status: str
    must_upload: bool
    records_on_file: int
    last_upload: date | None
    next_due: date | None
    overdue: bool


def status_line(licence: LicenceObligation, records: int, last_upload: date | None,
                today: date) -> StatusLine:
    due = next_due(licence, last_upload)
    return StatusLine(licence_number=licence.licence_number, status=licence.status,
                      must_upload=due is not None, records_on_file=records,
                      last_upload=last_upload, next_due=due,
                      overdue=due is not None and today > due)


STATUS_COLUMNS = ("Authorization number", "Licence status", "Must upload site data",
                  "Records on file", "Last upload date", "Next upload due")


def status_row(line: StatusLine) -> list[str]:
    return [line.licence_number, line.status, "Yes" if line.must_upload else "No",
            str(line.records_on_file),
            line.last_upload.isoformat() if line.last_upload else "",
            line.next_due.isoformat() if line.next_due else ""]
