"""Date rules and calculators of the registry, as tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.licensing.domain import dates
from services.licensing.domain.blocks import parse_block, show, subtract, within


@pytest.mark.parametrize(("day", "end", "year"), [
    (date(2026, 4, 1), date(2027, 3, 31), 2027),
    (date(2026, 3, 31), date(2026, 3, 31), 2026),
    (date(2026, 12, 31), date(2027, 3, 31), 2027),
    (date(2027, 1, 1), date(2027, 3, 31), 2027),
])
def test_fiscal_year_ends_on_31_march(day: date, end: date, year: int) -> None:
    assert dates.fiscal_year_end(day) == end
    assert dates.fiscal_year(day) == year


@pytest.mark.parametrize(("annual", "authorized", "fee"), [
    ("365.00", date(2026, 4, 1), "365.00"),      # the whole year
    ("365.00", date(2027, 3, 31), "1.00"),       # the last day
    ("365.00", date(2026, 10, 1), "182.00"),     # 182 days left
    ("41.00", date(2026, 11, 22), "14.60"),      # 130 of 365 days
    ("366.00", date(2028, 3, 1), "31.00"),       # leap year: 366 days, 31 left
    ("0.00", date(2026, 5, 5), "0.00"),
])
def test_issuance_fee_is_prorated_to_31_march(annual: str, authorized: date, fee: str) -> None:
    assert dates.prorated_fee(Decimal(annual), authorized) == Decimal(fee)


@pytest.mark.parametrize(("issued", "years", "end"), [
    (date(2026, 11, 22), 1, date(2027, 3, 31)),
    (date(2026, 11, 22), 10, date(2036, 3, 31)),
    (date(2026, 2, 1), 10, date(2035, 3, 31)),
])
def test_term_ends_on_31_march_of_its_last_year(issued: date, years: int, end: date) -> None:
    assert dates.term_end(issued, years) == end


@pytest.mark.parametrize(("requested", "primary", "consented", "expires"), [
    (date(2029, 3, 31), date(2030, 3, 31), None, date(2029, 3, 31)),
    (date(2031, 3, 31), date(2030, 3, 31), None, date(2030, 3, 31)),
    (date(2029, 3, 31), date(2030, 3, 31), date(2027, 6, 1), date(2027, 6, 1)),
])
def test_subordinate_expires_at_the_earliest(requested: date, primary: date,
                                             consented: date | None, expires: date) -> None:
    assert dates.subordinate_expiry(requested, primary, consented) == expires


@pytest.mark.parametrize(("agreed", "filed", "late"), [
    (date(2026, 11, 1), date(2026, 11, 16), False),  # day 15
    (date(2026, 11, 1), date(2026, 11, 17), True),
    (date(2026, 11, 1), date(2026, 11, 1), False),
])
def test_prospective_transfer_is_filed_within_15_days(agreed: date, filed: date,
                                                      late: bool) -> None:
    assert dates.prospective_filing_late(agreed, filed) is late


def test_breach_after_90_days_of_a_negative_verdict() -> None:
    assert dates.prospective_breach_on(date(2026, 11, 22)) == date(2027, 2, 20)


def test_renewal_starts_the_day_after_the_old_term() -> None:
    assert dates.renewal_expiry(date(2030, 3, 31), 10) == date(2040, 3, 31)


@pytest.mark.parametrize(("text", "block"), [
    ("1710-1720 MHz", (1710.0, 1720.0)), ("3650 - 3700", (3650.0, 3700.0)),
    ("1720-1710", None), ("abc", None), ("", None), ("12.5-13.75 mhz", (12.5, 13.75)),
])
def test_blocks_parse(text: str, block: tuple[float, float] | None) -> None:
    assert parse_block(text) == block


def test_bandwidth_division_leaves_the_rest() -> None:
    held = [(1710.0, 1720.0), (2110.0, 2120.0)]
    assert within((1712.0, 1714.0), held) and not within((1700.0, 1715.0), held)
    assert [show(b) for b in subtract(held, (1712.0, 1714.0))] == [
        "1710-1712 MHz", "1714-1720 MHz", "2110-2120 MHz"]
