"""Reminders (beyond the seeds): site data due soon and overdue; licence expiry.

The site-data due date is the status report's rule (SITEDATA.md, "Status report"): with the
obligation, the next upload is due on the last day of the month after the month of the last
upload; never uploaded, at the end of the month after the later of the obligation's start and
the grant date. A reminder is keyed by (licence, kind, due date): each is sent once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

DUE_SOON_DAYS = 7
EXPIRY_DAYS = (10, 30, 60, 90)  # smallest first: the latest threshold passed wins

SITEDATA_DUE = "sitedata_due"
SITEDATA_OVERDUE = "sitedata_overdue"


def end_of_next_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class LicenceFacts:
    licence_number: str
    account_number: str
    status: str
    issued_on: date
    expires_on: date
    site_data_required: bool
    site_data_from: date | None
    last_upload: date | None


@dataclass(frozen=True)
class Reminder:
    licence_number: str
    account_number: str
    kind: str  # sitedata_due | sitedata_overdue | expiry_90 | expiry_60 | expiry_30 | expiry_10
    due_on: date  # the site-data due date, or the licence's expiry date
    days_left: int


def site_data_due(licence: LicenceFacts) -> date | None:
    if not licence.site_data_required or licence.status != "Granted":
        return None
    if licence.last_upload is not None:
        return end_of_next_month(licence.last_upload)
    start = max(licence.site_data_from or licence.issued_on, licence.issued_on)
    return end_of_next_month(start)


def _site_data_reminder(licence: LicenceFacts, today: date) -> Reminder | None:
    due = site_data_due(licence)
    if due is None or today > licence.expires_on:
        return None
    if today > due:
        kind = SITEDATA_OVERDUE
    elif today >= due - timedelta(days=DUE_SOON_DAYS):
        kind = SITEDATA_DUE
    else:
        return None
    return Reminder(licence.licence_number, licence.account_number, kind, due,
                    (due - today).days)


def _expiry_reminder(licence: LicenceFacts, today: date) -> Reminder | None:
    if licence.status != "Granted" or today > licence.expires_on:
        return None
    left = (licence.expires_on - today).days
    for days in EXPIRY_DAYS:
        if left <= days:
            return Reminder(licence.licence_number, licence.account_number, f"expiry_{days}",
                            licence.expires_on, left)
    return None


def reminders_for(licence: LicenceFacts, today: date) -> list[Reminder]:
    """The reminders this licence calls for today (the caller sends each key only once).

    Only the latest threshold passed is returned: a licence first seen 20 days before expiry
    gets the 30-day reminder, not the 90- and 60-day ones as well."""
    found = (_site_data_reminder(licence, today), _expiry_reminder(licence, today))
    return [reminder for reminder in found if reminder is not None]


def recipients(*addresses: str | None) -> list[str]:
    """Every distinct address on file, in order, case-insensitively distinct."""
    seen: dict[str, str] = {}
    for address in addresses:
        if address and address.strip() and address.strip().lower() not in seen:
            seen[address.strip().lower()] = address.strip()
    return list(seen.values())
