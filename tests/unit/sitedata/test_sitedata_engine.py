"""validate() as the service uses it: staging rows, the licence check, and agreement between
the fast path and the detailed checker on any row."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitedata_kit import LICENCE, TODAY, check, codes, sample_row, special_row, to_csv

from benchmarks.gen_sitedata import rows
from services.sitedata.domain.validation import COLUMNS, Finding, ParsedRow, engine, records
from services.sitedata.domain.validation.block_path import BlockPath, block_path
from services.sitedata.domain.validation.fast_path import FastPath, fast_path
from services.sitedata.domain.validation.row_rules import check_row


def test_on_row_gets_every_clean_record_in_file_order() -> None:
    staged: list[ParsedRow] = []
    records = [sample_row(), sample_row(F="B", G="fx"), special_row("020000001", "NOSTATIONS"),
               sample_row(F="C", E="a@example.ca,b@example.ca")]
    outcome = check(records, on_row=staged.append)
    assert not outcome.valid
    assert [(r.line, r.licence, r.special) for r in staged] == [
        (2, LICENCE, None), (4, "020000001", "NOSTATIONS"), (5, LICENCE, None)]
    assert staged[0].fields == tuple(records[0])
    assert staged[2].fields[4] == "a@example.ca,b@example.ca"


def test_the_licence_check_runs_once_per_licence_and_reports_on_its_first_line() -> None:
    asked: list[str] = []

    def licence_check(licence: str) -> Finding | None:
        asked.append(licence)
        if licence == "020000001":
            return Finding(None, None, None, None, "SD-LIC-EXPIRED", "The licence has expired.")
        return None

    records = [sample_row(), sample_row(AU="240"), sample_row(A="020000001", F="X"),
               sample_row(A="020000001", F="Y"), sample_row(A="10898101", F="Z")]
    outcome = check(records, licence_check=licence_check)
    assert asked == [LICENCE, "020000001"]  # a malformed number is not looked up
    assert codes(outcome.errors) == [(4, "A", "SD-LIC-EXPIRED"), (6, "A", "SD-COL-PATTERN")]
    assert outcome.errors[0].value == "020000001"
    assert outcome.errors[0].column_name == "Spectrum licence number"


def test_a_valid_generated_file_is_valid_and_fully_staged() -> None:
    generated = list(rows(3000, seed=5))
    staged: list[ParsedRow] = []
    outcome = check(generated, on_row=staged.append)
    assert outcome.valid, outcome.errors[:5]
    assert outcome.records == len(staged) == 3000
    assert [r.fields for r in staged] == [tuple(r) for r in generated]
    assert sum(t.rows for t in outcome.licences.values()) == 3000


def test_dates_are_judged_against_the_given_day() -> None:
    data = to_csv([sample_row(Q="2026-11-05")])
    assert check(data).valid
    assert not check(data, today=TODAY.replace(day=4)).valid


# The fast path never decides differently from the detailed checker -------------------------

INTERESTING = st.sampled_from([
    "", " ", "0", "-0", "1", "01", "1.0", "1.", ".5", "-1", "45.5", "90", "90.0", "90.01", "-141",
    "-40", "359.9", "359.91", "360", "600", "605", "-100", "-100.5", "50000", "1007", "503",
    "504", "256", "4.0", "3,14", "12.5 kHz", "FX", "fx", "TC", "LTE", "5GNR", "GSM", "WI-FI",
    "OTHER", "U", "O", "I", "D", "N", "AAS", "NAC", "ON", "T", "G7W", "g7w", "302720-51234-101",
    "AB-CD-EF", "2024-02-29", "2023-02-29", "2026-11-06", "2026-11-05", "a@b.ca", "a@b.ca,c@d.ca",
    "x" * 64, "NOCHANGE", "nostations", "Olivia Chen", " Olivia", "Olivia ", "\tX", "X\xa0",
    "010898101", "10898101", "613-555-0100",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(COLUMNS), INTERESTING, max_size=4),
       st.sampled_from(["station", "quoted station", "special"]))
def test_validate_agrees_with_the_detailed_checker(changes: dict[str, str], kind: str) -> None:
    if kind == "special":
        row = special_row(LICENCE, "NOSTATIONS")
        for letter, value in changes.items():
            row[COLUMNS.index(letter)] = value
    else:
        row = sample_row(**changes)
        if kind == "quoted station":  # a comma makes the writer quote: the csv path
            row[1] = "REF, 7"
    expected = check_row(row, 2, TODAY).errors
    outcome = check([row])
    assert outcome.valid == (not expected)
    if expected:
        assert codes(outcome.errors) == codes(expected)


# Whole files: the same outcome with and without the fast path ------------------------------

_POOL = [
    sample_row(), sample_row(AU="240"), sample_row(F="B"), sample_row(F="B", S="2110.5"),
    sample_row(F="C", G="fx"), sample_row(A="020000001"), sample_row(A="020000001", F="B"),
    sample_row(Q="2026-11-06"), sample_row(AM="51"), sample_row(N="U", O="", AM="-3", AN="-3"),
    sample_row(B="REF, 9"), sample_row(F="B", E="a@b.ca, c@d.ca"), sample_row(AO="N", AQ="",
                                                                            AS="", AU="", AW=""),
    special_row(LICENCE, "NOCHANGE"), special_row("020000001", "NOSTATIONS"),
    special_row("030000001", "NOCHANGES"), [""] * 54, sample_row()[:53],
]


def _slow_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No fast regex accepts anything: every record goes to the detailed checker."""
    never = re.compile("(?!)")

    def no_fast_path(sep: str, mixed: bool = False) -> FastPath:
        return replace(fast_path(sep, mixed), common=never, station=never, special=never)

    def no_block_path(sep: str, mixed: bool = False) -> BlockPath:
        return replace(block_path(sep, mixed), common=never, general=never)

    monkeypatch.setattr(engine, "fast_path", no_fast_path)
    monkeypatch.setattr(records, "fast_path", no_fast_path)
    monkeypatch.setattr(engine, "block_path", no_block_path)


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, len(_POOL) - 1), min_size=1, max_size=12))
def test_the_fast_path_never_changes_an_outcome(
    monkeypatch: pytest.MonkeyPatch, picks: list[int]
) -> None:
    records = [_POOL[i] for i in picks]

    def run() -> tuple[object, ...]:
        staged: list[ParsedRow] = []
        outcome = check(records, on_row=staged.append, licence_check=lambda _: None)
        tallies = {k: (t.special, t.rows, t.stations) for k, t in outcome.licences.items()}
        return (codes(outcome.errors), codes(outcome.warnings), outcome.records, tallies,
                staged)

    fast = run()
    with monkeypatch.context() as patch:
        _slow_only(patch)
        assert run() == fast
