"""Helpers for the site-data validation tests: build files from the generator's valid rows,
validate them, and read the findings back as (line, column, code)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from benchmarks.gen_sitedata import HEADER, sample_row, special_row, to_csv
from services.sitedata.domain.validation import Finding, Outcome, ParsedRow, validate

TODAY = date(2026, 11, 5)
LICENCE = "010898101"

__all__ = [
    "HEADER", "LICENCE", "TODAY", "check", "codes", "errors_in", "sample_row", "special_row",
    "to_csv",
]


def check(
    records: Sequence[Sequence[str]] | bytes,
    *,
    header: bool = True,
    filename: str = "site.csv",
    today: date = TODAY,
    licence_check: Callable[[str], Finding | None] | None = None,
    on_row: Callable[[ParsedRow], None] | None = None,
    chunk: int | None = None,
) -> Outcome:
    """Validate rows (written as CSV, header first) or raw bytes, in one chunk or many."""
    data = records if isinstance(records, bytes) else to_csv(records, header=header)
    chunks: Iterable[bytes] = [data]
    if chunk:
        chunks = (data[i : i + chunk] for i in range(0, len(data), chunk))
    return validate(
        chunks, filename=filename, today=today, licence_check=licence_check, on_row=on_row
    )


def codes(findings: Iterable[Finding]) -> list[tuple[int | None, str | None, str]]:
    """The findings as (line, column, code), in report order."""
    return [(f.line, f.column, f.code) for f in findings]


def errors_in(outcome: Outcome, column: str) -> list[str]:
    """The codes of the errors about one column."""
    return [f.code for f in outcome.errors if f.column == column]
