"""The reports' pure rules: due dates, distance, percentiles, service standards."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.reports.domain.dashboard import Pending, Tally, UploadFacts, percentiles
from services.reports.domain.search import Near, distance_km, make_near
from services.reports.domain.status import LicenceObligation, end_of_next_month, status_line
from shared.errors import DomainError

MONTHLY = LicenceObligation("010898101", "Granted", date(2020, 4, 1), True, date(2024, 10, 31))


@pytest.mark.parametrize(("day", "due"), [
    (date(2026, 11, 5), date(2026, 12, 31)),
    (date(2026, 12, 1), date(2027, 1, 31)),
    (date(2027, 1, 31), date(2027, 2, 28)),
    (date(2028, 1, 15), date(2028, 2, 29)),
])
def test_due_is_the_end_of_the_month_after(day: date, due: date) -> None:
    assert end_of_next_month(day) == due


def test_status_line_after_an_upload_and_never_uploaded() -> None:
    uploaded = status_line(MONTHLY, 4, date(2026, 11, 5), date(2026, 11, 20))
    assert (uploaded.must_upload, uploaded.next_due, uploaded.overdue) == (
        True, date(2026, 12, 31), False)
    never = status_line(MONTHLY, 0, None, date(2026, 11, 20))
    assert never.next_due == date(2024, 11, 30) and never.overdue
    granted_later = LicenceObligation("L", "Granted", date(2025, 3, 10), True, date(2024, 10, 31))
    assert status_line(granted_later, 0, None, date(2025, 3, 11)).next_due == date(2025, 4, 30)


def test_no_obligation_or_not_granted_shows_no_due_date() -> None:
    free = LicenceObligation("L", "Granted", date(2020, 1, 1), False, None)
    expired = LicenceObligation("L", "Expired", date(2015, 4, 1), True, date(2024, 10, 31))
    for licence in (free, expired):
        line = status_line(licence, 0, None, date(2026, 11, 20))
        assert (line.must_upload, line.next_due, line.overdue) == (False, None, False)


def test_distance_and_the_search_circle() -> None:
    ottawa, montreal = (45.4215, -75.6972), (45.5019, -73.5674)
    assert distance_km(*ottawa, *montreal) == pytest.approx(166.5, abs=1.5)
    near = Near(*ottawa, 150)
    assert near.contains(45.5, -75.0) and not near.contains(*montreal)
    lat_min, lat_max, lon_min, lon_max = near.box()
    assert lat_min < 45.0 < lat_max and lon_min < -77.0 and lon_max > -74.0


@pytest.mark.parametrize("args", [(45.0, None, 10.0), (95.0, -75.0, 10.0), (45.0, -75.0, 0.0),
                                  (45.0, -75.0, 5000.0)])
def test_a_bad_distance_search_is_refused(args: tuple[float | None, ...]) -> None:
    with pytest.raises(DomainError) as refused:
        make_near(*args)
    assert refused.value.status == 422 and refused.value.code.startswith("RP-NEAR")


def test_tally_counts_once_per_upload_and_nearest_rank_percentiles() -> None:
    tally = Tally()
    for n, seconds in enumerate([1.0, 2.0, 3.0, 4.0, 10.0]):
        assert tally.add(UploadFacts(f"u{n}", "2026-11-05", "Processed", seconds, {}))
    assert not tally.add(UploadFacts("u0", "2026-11-05", "Processed", 99.0, {}))
    assert tally.percentiles() == {"p50": 3.0, "p90": 10.0, "p95": 10.0, "p99": 10.0}
    assert percentiles([]) == {}
    tally.add(UploadFacts("u9", "2026-11-06", "Errors Found", 1.0, {"A": 2, "B": 5}))
    tally.add(UploadFacts("u8", "2026-11-06", "Errors Found", 1.0, {"A": 4}))
    assert tally.top_errors() == [("A", 6), ("B", 5)]
    assert tally.per_day["2026-11-05|Processed"] == 5 and tally.uploads() == 7


def test_pending_against_its_service_standard() -> None:
    item = Pending("R1", "new-holder", "HQ", datetime(2026, 11, 1, 9, tzinfo=UTC), 10, "pending")
    assert item.due_on() == date(2026, 11, 11)
    assert not item.late(date(2026, 11, 11)) and item.late(date(2026, 11, 12))
    assert item.age_days(date(2026, 11, 12)) == 11
