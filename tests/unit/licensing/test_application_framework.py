"""The application framework: checks per section, the service-standard clock, statuses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.licensing.domain.applications import lifecycle as lc
from services.licensing.domain.applications.framework import (
    OTHER,
    Checks,
    Context,
    FamilySpec,
    Section,
    validate,
)
from services.licensing.domain.families import radio, spectrum
from shared.errors import ConflictError

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CTX = Context(today=date(2026, 11, 22), account_number="100000001")


def _named(c: Checks, _: Context) -> None:
    c.text("name")


def _boom(c: Checks, _: Context) -> None:
    raise ValueError("bad shape")


SPEC = FamilySpec("demo", "Demo", (Section("a", "A", _named), Section("b", "B", _named, OTHER),
                                   Section("c", "C", _boom)))


def test_errors_are_listed_per_section_and_a_broken_check_is_an_error() -> None:
    issues = validate(SPEC, {"a": {"name": " "}}, CTX)
    assert [(i.section, i.field, i.code) for i in issues] == [
        ("a", "name", "APP-REQUIRED"), ("b", "name", "APP-REQUIRED"),
        ("c", "", "APP-SECTION-MALFORMED")]
    assert [i.section for i in validate(SPEC, {}, CTX, party=OTHER)] == ["b"]


@pytest.mark.parametrize(("value", "code"), [
    ("2026-02-30", "APP-DATE"), ("12/01/2026", "APP-DATE"), (None, "APP-REQUIRED"),
])
def test_dates_are_read_strictly(value: object, code: str) -> None:
    checks = Checks("s", {"when": value})
    assert checks.day("when") is None
    assert [i.code for i in checks.issues] == [code]


def test_rows_name_their_fields_by_index() -> None:
    draft = {"spectra": [{"block": "1-2"}, {"block": "x", "area_code": "1-001"}]}
    checks = Checks("spectrum", draft)
    spectrum.SPEC.sections[1].check(checks, CTX)
    assert {(i.field, i.code) for i in checks.issues} == {
        ("spectra[0].area_code", "SPC-AREA-REQUIRED"), ("spectra[1].block", "SPC-BLOCK")}


def test_uncertified_equipment_asks_for_appendix_b() -> None:
    checks = Checks("technical", {"frequencies": [{"mhz": "160"}], "erp_watts": 5,
                                  "bandwidth_khz": 12.5, "emission_designator": "11K0F3E",
                                  "equipment_certification": "UNCERT-PROTO-1"})
    radio.SPEC.sections[2].check(checks, CTX)
    assert {i.field for i in checks.issues} == set(radio.APPENDIX_B)


@pytest.mark.parametrize(("events", "elapsed_days", "state"), [
    ([], 20.0, "running"),
    ([("pause", 5), ("resume", 15)], 10.0, "running"),   # 10 days paused do not count
    ([("pause", 5)], 5.0, "paused"),
    ([("pause", 5), ("resume", 8), ("stop", 12)], 9.0, "stopped"),
])
def test_clock_stops_while_information_is_requested(events: list[tuple[str, int]],
                                                    elapsed_days: float, state: str) -> None:
    clock = lc.ServiceClock(84, started_at=T0)
    for move, day in events:
        clock = getattr(clock, move)(T0 + timedelta(days=day))
    now = T0 + timedelta(days=20)
    assert clock.elapsed(now) == timedelta(days=elapsed_days)
    assert clock.state() == state
    view = clock.view(now)
    assert view["remaining_days"] == 84 - elapsed_days and view["overdue"] is False


def test_clock_is_overdue_past_its_standard() -> None:
    clock = lc.ServiceClock(84, started_at=T0)
    assert clock.view(T0 + timedelta(days=85))["overdue"] is True
    assert lc.ServiceClock(84).view(T0)["state"] == "not started"


@pytest.mark.parametrize(("status", "move", "allowed"), [
    (lc.DRAFT, "submit", True), (lc.SUBMITTED, "submit", False),
    (lc.INFO_REQUESTED, "answer", True), (lc.IN_REVIEW, "answer", False),
    (lc.INFO_REQUESTED, "decide", False), (lc.APPROVED, "withdraw", False),
])
def test_moves_follow_the_status(status: str, move: str, allowed: bool) -> None:
    if allowed:
        lc.require_move(status, move)
    else:
        with pytest.raises(ConflictError):
            lc.require_move(status, move)
