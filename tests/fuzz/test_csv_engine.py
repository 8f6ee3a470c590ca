"""Hostile files against the site-data CSV engine: whatever the bytes, ``validate`` returns an
Outcome (it never raises), and the Outcome is consistent with itself."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from services.sitedata.domain.validation import Code, Finding, Outcome, validate
from tests.support.sitedata_files import special_row, station_row, to_csv

TODAY = date(2026, 11, 5)
GOOD = station_row("010898101", "Tower A")
CELL_NOISE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "NaN", "inf", "-0", "1e309", "99999999999999999999", "45.4.2",
                     "2024-02-30", "0000-00-00", "\x00", "=cmd|' /C calc'!A0", "ADD", "DELETE",
                     "NOCHANGE", "fx", "FX", "\ufeff", "é", "\r", '"', "'", ";", ","]),
)


def licence_check(number: str) -> Finding | None:
    """A registry that knows a single licence."""
    if number == "010898101":
        return None
    return Finding(line=None, column="A", column_name="Licence", value=number,
                   code=Code.LICENCE_NOT_LISTED, message="The licence is not on the registry.")


def run(data: bytes, chunk: int, name: str = "site.csv", check: bool = False) -> Outcome:
    chunks = [data[i:i + chunk] for i in range(0, len(data), chunk)] or [b""]
    outcome = validate(iter(chunks), filename=name, today=TODAY,
                       licence_check=licence_check if check else None)
    assert isinstance(outcome, Outcome)
    assert outcome.records >= 0
    assert outcome.error_count >= len(outcome.errors)
    if outcome.valid:
        assert not outcome.errors
    return outcome


@given(st.binary(max_size=4096), st.integers(min_value=1, max_value=700))
def test_arbitrary_bytes_never_crash_the_engine(data: bytes, chunk: int) -> None:
    run(data, chunk)


@given(st.lists(st.lists(st.text(max_size=20), max_size=60), max_size=30),
       st.integers(min_value=1, max_value=300), st.booleans())
def test_arbitrary_csv_grids_never_crash_the_engine(rows: list[list[str]], chunk: int,
                                                    header: bool) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = (",".join(f"Column {n}" for n in range(1, 55)) + "\r\n" if header else "") + \
        buffer.getvalue()
    run(data.encode("utf-8", errors="surrogatepass"), chunk)


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=53), CELL_NOISE), max_size=12),
       st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=512),
       st.booleans())
def test_valid_rows_with_mutated_cells_never_crash_the_engine(
        edits: list[tuple[int, str]], copies: int, chunk: int, check: bool) -> None:
    rows = [list(GOOD) for _ in range(copies)] + [special_row("010898102", "NOCHANGE")]
    for index, (column, value) in enumerate(edits):
        rows[index % len(rows)][column] = value
    run(to_csv(rows), chunk, check=check)


@given(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]),
       st.integers(min_value=1, max_value=64))
def test_other_encodings_of_a_valid_file_never_crash_the_engine(encoding: str,
                                                                chunk: int) -> None:
    text = to_csv([station_row("010898101", "Montréal Île")]).decode()
    run(text.encode(encoding, errors="replace"), chunk)


@given(st.text(max_size=80), st.binary(max_size=256))
def test_any_file_name_is_answered_with_an_outcome(name: str, data: bytes) -> None:
    run(data, 64, name=name)


def test_a_valid_file_stays_valid_in_any_chunking() -> None:
    data = to_csv([station_row("010898101", f"Site {n}") for n in range(5)])
    for chunk in (1, 2, 3, 7, 64, len(data)):
        assert run(data, chunk).valid
