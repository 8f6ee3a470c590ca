"""The detailed per-cell checker: precise problems for one value of one column.

It runs only for rows the fast path did not accept, so it favours clear messages over speed.
A problem is ``(code, message)``; the row rules turn it into a Finding with the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from . import patterns
from .context import RowContext
from .findings import Code
from .number_rules import check_decimal, check_int
from .spec import Column

Problem = tuple[str, str]

_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EMAIL = re.compile(patterns.EMAIL)


def required_problem(column: Column) -> Problem:
    """The problem for an empty required cell."""
    return Code.COL_REQUIRED, (
        f"Fill in column {column.label}: it is {_needed(column)}. {hint(column)}".rstrip()
    )


def _needed(column: Column) -> str:
    text = column.needed_when
    return text if text.startswith("required") else f"required on {text}"


def explain(column: Column) -> str:
    """A plain description of a column for the upload page: when it is needed, its format."""
    needed = "optional" if column.required == "optional" else _needed(column)
    parts = [f"{column.label}: {needed}.", hint(column)]
    if column.pattern is not None and column.kind != "licence":
        parts.append(f"Pattern: {column.pattern.pattern}.")
    if column.note:
        note = column.note.rstrip(".")
        parts.append(f"Unit: {note}." if " " not in note else f"{note}.")
    return " ".join(p for p in parts if p)


def hint(column: Column) -> str:
    """One sentence on the expected format."""
    if column.codes:
        return f"Use one of: {', '.join(column.codes)}."
    if column.kind == "date":
        return "Write it as YYYY-MM-DD, e.g. 2024-10-31."
    if column.kind in {"int", "decimal"}:
        number = "a whole number" if column.kind == "int" else "a number"
        return f"Enter {number}{_bounds_text(column)}."
    if column.max_len:
        return f"Use at most {column.max_len} characters."
    return ""


def _bounds_text(column: Column) -> str:
    if column.low is not None and column.high is not None:
        return f" from {column.low} to {column.high}"
    if column.gt is not None:
        return f" greater than {column.gt}"
    return ""


def check_value(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    """The first problem of a non-empty value without surrounding spaces, or None."""
    length = len(value)
    if column.max_len is not None and length > column.max_len:
        return Code.COL_LENGTH, (
            f"Shorten the value to at most {column.max_len} characters (it has {length})."
        )
    if column.min_len is not None and length < column.min_len and column.kind != "cell_id":
        return Code.COL_LENGTH, (
            f"The value needs at least {column.min_len} characters (it has {length})."
        )
    return _KIND_CHECKS[column.kind](column, value, ctx, today)


def _no_check(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    return None


def _licence(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    if column.pattern is None or column.pattern.fullmatch(value):
        return None
    if value.isascii() and value.isdigit() and len(value) == 8:
        fix = f"add the leading 0: 0{value}"
    elif "-" in value:
        fix = "remove the version suffix (such as -001)"
    else:
        fix = "write 9 digits with the leading 0, e.g. 010898101"
    return Code.COL_PATTERN, f"The licence number is not valid: {fix}."


def _code(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    if value in column.codes:
        return None
    if value.upper() in column.codes:
        return Code.R4_CAPS, f"The code must be in ALL CAPS: write {value.upper()}."
    return Code.COL_CODE, f"Unknown code. {hint(column)}"


def _emails(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    for address in value.split(","):
        address = address.strip()
        if not _EMAIL.fullmatch(address):
            shown = f"'{address[:60]}'" if address else "An empty entry"
            return Code.COL_EMAIL, (
                f"{shown} is not an e-mail address. Write addresses like name@example.ca; "
                "separate several with commas and put the whole cell in double quotes."
            )
    return None


def _cell_id(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    too_short = column.min_len is not None and len(value) < column.min_len
    if column.pattern is not None and column.pattern.fullmatch(value) and not too_short:
        return None
    return Code.COL_PATTERN, (
        "Write the cell ID as three parts joined by hyphens: 1-6, 1-8 and 1-11 letters or "
        f"digits, {column.min_len} to {column.max_len} characters in all (e.g. 302720-51234-101)."
    )


def _emission(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    if column.pattern is None or column.pattern.fullmatch(value):
        return None
    return Code.COL_PATTERN, "Write the class of emission as 3 to 5 letters or digits, e.g. G7W."


def _date(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    if not _DATE_SHAPE.fullmatch(value):
        return Code.R3_DATE, "Write the date as YYYY-MM-DD, e.g. 2024-10-31."
    try:
        found = date.fromisoformat(value)
    except ValueError:
        return Code.R3_DATE, f"{value} is not a real calendar date: check the month and the day."
    if found > today:
        return Code.R3_FUTURE, (
            f"The date is after the upload date ({today.isoformat()}): enter the date the "
            "station entered service or was last changed."
        )
    return None


_KIND_CHECKS: dict[str, Callable[[Column, str, RowContext, date], Problem | None]] = {
    "licence": _licence,
    "text": _no_check,
    "location": _no_check,
    "email_list": _emails,
    "code": _code,
    "cell_id": _cell_id,
    "emission": _emission,
    "int": check_int,
    "decimal": check_decimal,
    "date": _date,
}
