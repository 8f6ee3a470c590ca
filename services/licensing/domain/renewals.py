"""Renewal rules (CPC-2-1-23 5.3, RSP-101 section 4) and where an invoice stands."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from shared.errors import ConflictError

ISSUED, PARTLY_PAID, PAID, CANCELLED = "Issued", "Partly paid", "Paid", "Cancelled"
OVERDUE = "Overdue"  # not stored: an open invoice past its due date


def window_opens(expires_on: date, window_days: int) -> date:
    """The first day a licence may be renewed: ``window_days`` before the end of its term."""
    return expires_on - timedelta(days=window_days)


def require_renewable(number: str, expires_on: date, today: date, window_days: int) -> None:
    """Renewal happens at the end of the term: within the window before expiry, or within
    as many days after it (a late renewal of a lapsed licence)."""
    opens = window_opens(expires_on, window_days)
    if today < opens:
        raise ConflictError("LIC-RENEW-WINDOW", f"Licence {number} expires on "
                            f"{expires_on.isoformat()}; it can be renewed from "
                            f"{opens.isoformat()}.", fix="Renew it within the renewal window.")
    if today > expires_on + timedelta(days=window_days):
        raise ConflictError("LIC-RENEW-LAPSED", f"Licence {number} lapsed on "
                            f"{expires_on.isoformat()}, too long ago to be renewed.",
                            fix="The spectrum is licensed anew by application.")


def require_run_open(fiscal_year: int, today: date, window_days: int) -> None:
    """The renewal run of a fiscal year starts at most ``window_days`` before 1 April."""
    first_day = date(fiscal_year - 1, 4, 1)
    if today < first_day - timedelta(days=window_days):
        raise ConflictError("LIC-RENEWAL-RUN-EARLY", f"The renewal run of fiscal year "
                            f"{fiscal_year} opens on "
                            f"{(first_day - timedelta(days=window_days)).isoformat()}.",
                            fix="Run it within the renewal window before 1 April.")


def lapse_notice(reason: str, expires_on: date) -> str:
    return (f"Renewal refused: {reason.strip().rstrip('.')}. The licence remains valid until "
            f"{expires_on.isoformat()} and lapses at the end of its term.")


def status_after_payment(amount: Decimal, paid: Decimal) -> str:
    return PAID if paid >= amount else PARTLY_PAID if paid > 0 else ISSUED


def standing(status: str, due_on: date, today: date) -> str:
    """Paid, partly paid, issued, cancelled, or overdue (open past its due date)."""
    if status in (ISSUED, PARTLY_PAID) and today > due_on:
        return OVERDUE
    return status
