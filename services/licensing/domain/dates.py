"""Date rules of the registry: fiscal years, prorated fees, terms and deadlines."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

PROSPECTIVE_APPLY_DAYS = 15   # CPC-2-1-23 5.6.4.4: apply within 15 days of the agreement
PROSPECTIVE_BREACH_DAYS = 90  # ... and leave it within 90 days of a "does not meet" decision


def fiscal_year_end(day: date) -> date:
    """The 31 March that ends the fiscal year containing ``day``."""
    return date(day.year if day.month <= 3 else day.year + 1, 3, 31)


def fiscal_year(day: date) -> int:
    """A fiscal year is named by the calendar year in which it ends (2026-04-01 -> 2027)."""
    return fiscal_year_end(day).year


def prorated_fee(annual: Decimal, authorized_on: date) -> Decimal:
    """The issuance fee: the annual fee for the days from the authorization date to 31 March
    inclusive, over the days of that fiscal year (RSP-101 section 4)."""
    end = fiscal_year_end(authorized_on)
    start = date(end.year - 1, 4, 1)
    days_in_year = (end - start).days + 1
    days = (end - authorized_on).days + 1
    return (annual * days / days_in_year).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def term_end(issued_on: date, years: int) -> date:
    """A licence issued for ``years`` ends on the 31 March of its last fiscal year."""
    return date(fiscal_year_end(issued_on).year + years - 1, 3, 31)


def subordinate_expiry(requested: date, primary_expires: date,
                       consented_revocation: date | None = None) -> date:
    """A subordinate licence ends at the earliest of its own expiry, the primary's expiry and
    a consented revocation (CPC-2-1-23 5.6.3 item 3)."""
    candidates = [requested, primary_expires]
    if consented_revocation is not None:
        candidates.append(consented_revocation)
    return min(candidates)


def prospective_filing_late(agreement_on: date, filed_on: date) -> bool:
    return filed_on > agreement_on + timedelta(days=PROSPECTIVE_APPLY_DAYS)


def prospective_breach_on(decided_on: date) -> date:
    """After a "does not meet" decision, staying in the agreement past this day is a breach."""
    return decided_on + timedelta(days=PROSPECTIVE_BREACH_DAYS)


def renewal_expiry(expires_on: date, years: int) -> date:
    """The renewed licence's new term starts the day after the old one ends."""
    return term_end(expires_on + timedelta(days=1), years)
