"""The detailed row checker (the slow path): every column rule plus R1, R4, R5 and R8-R10
for one record of 54 fields. Cross-row rules (R6, R7) live in ``cross_rows``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .column_rules import check_value, required_problem
from .context import RowContext, is_required, row_context
from .findings import Code, Finding, cell_finding
from .spec import Column, by_key, column_spec

LOCATION = by_key()["station_location"]
SPECIALS = frozenset(LOCATION.special)
NORMALISED = {"NOCHANGES": "NOCHANGE"}
FIRST_STATION_COLUMN = by_key()["station_type"].index  # G: a special row leaves G..BB empty
_TX, _RX = by_key()["tx_frequency"], by_key()["rx_frequency"]


@dataclass(slots=True)
class RowVerdict:
    """The findings of one row and, for a special row, its keyword (NOCHANGES -> NOCHANGE)."""

    special: str | None
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


def special_keyword(location: str) -> str | None:
    """The special keyword a location spells, in any case (normalised), or None."""
    word = location.strip()
    if not word.isascii():
        return None
    word = word.upper()
    return NORMALISED.get(word, word) if word in SPECIALS else None


def check_row(fields: Sequence[str], line: int, today: date) -> RowVerdict:
    """All row-level findings of a record with exactly 54 fields."""
    special = special_keyword(fields[LOCATION.index])
    if special is not None:
        return _special_row(fields, line, special, today)
    return _station_row(fields, line, today)


def _cell(
    column: Column, raw: str, ctx: RowContext, today: date, line: int, out: list[Finding]
) -> None:
    value = raw.strip()
    if value != raw:
        out.append(cell_finding(
            line, column, raw, Code.R1_SPACES, "Remove the spaces at the start or end of the value."
        ))
    if not value:
        if is_required(column, ctx):
            out.append(cell_finding(line, column, raw, *required_problem(column)))
        return
    problem = check_value(column, value, ctx, today)
    if problem is not None:
        out.append(cell_finding(line, column, raw, *problem))


def _station_row(fields: Sequence[str], line: int, today: date) -> RowVerdict:
    verdict = RowVerdict(special=None)
    ctx = row_context(fields, station=True)
    for column in column_spec():
        _cell(column, fields[column.index], ctx, today, line, verdict.errors)
    if not ctx.tx and not ctx.rx:
        verdict.errors.append(cell_finding(
            line, _TX, "", Code.R8_FREQUENCY,
            f"Enter a Tx frequency in {_TX.letter}, an Rx frequency in {_RX.letter}, or both: "
            "every station row needs at least one.",
        ))
    verdict.errors.sort(key=lambda f: column_order(f.column))
    return verdict


def _special_row(fields: Sequence[str], line: int, special: str, today: date) -> RowVerdict:
    verdict = RowVerdict(special=special)
    ctx = row_context(fields, station=False)
    for column in column_spec()[: LOCATION.index]:
        _cell(column, fields[column.index], ctx, today, line, verdict.errors)
    _keyword(fields[LOCATION.index], line, verdict)
    filled = [c for c in column_spec()[FIRST_STATION_COLUMN:] if fields[c.index] != ""]
    if filled:
        letters = ", ".join(c.letter for c in filled[:8]) + (" ..." if len(filled) > 8 else "")
        first = filled[0]
        verdict.errors.append(cell_finding(
            line, first, fields[first.index], Code.R5_SPECIAL,
            f"A {special} row must leave columns G to BB empty; found values in {letters}. "
            "Remove them, or write a station location in F if this row is a station.",
        ))
    return verdict


def _keyword(raw: str, line: int, verdict: RowVerdict) -> None:
    word = raw.strip()
    if word != raw:
        verdict.errors.append(cell_finding(
            line, LOCATION, raw, Code.R1_SPACES, "Remove the spaces around the keyword."
        ))
    if word != word.upper():
        verdict.errors.append(cell_finding(
            line, LOCATION, raw, Code.R4_CAPS,
            f"The special keyword must be in ALL CAPS: write {word.upper()}.",
        ))
    if word.upper() in NORMALISED:
        verdict.warnings.append(cell_finding(
            line, LOCATION, raw, Code.NOCHANGES,
            f"{word.upper()} was read as {NORMALISED[word.upper()]}; "
            f"please write {NORMALISED[word.upper()]}.",
        ))


def column_order(letter: str | None) -> int:
    """Sort key for findings within a line: file-level first, then A..BB."""
    return -1 if letter is None else _ORDER[letter]


_ORDER = {c.letter: c.index for c in column_spec()}
