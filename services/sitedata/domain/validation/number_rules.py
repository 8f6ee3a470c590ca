"""Number rules: R2 (plain numbers), whole numbers, ranges, R9 antenna heights, R10 angles."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from . import patterns
from .context import RowContext
from .findings import Code
from .spec import Column, column_spec

Problem = tuple[str, str]

# R9: antenna heights (AM, AN). The numbers come from SITEDATA.md R9, not from the JSON.
UNDERGROUND = "U"
UNDERGROUND_HEIGHT = (Decimal(-100), Decimal(0))
HEIGHT = (Decimal(0), Decimal(600))
ABOVE_STRUCTURE = 5.0
HEIGHT_KEYS = frozenset({"tx_antenna_height", "rx_antenna_height"})
ANGLE_KEYS = frozenset(c.key for c in column_spec() if "azimuth" in c.key or "beamwidth" in c.key)

_NUMBER = re.compile(patterns.NUMBER)
_INTEGER = re.compile(patterns.INTEGER)


def number_format_problem(value: str) -> Problem | None:
    """R2: digits, an optional '-', '.' as decimal mark; no separators, units or spaces."""
    if _NUMBER.fullmatch(value):
        return None
    if "," in value:
        why = "use a period as the decimal mark and no thousands separators (10000, not 10,000)"
    elif any(ch.isalpha() or ch.isspace() for ch in value):
        why = "write the number alone, without units or other text (12.5, not 12.5 kHz)"
    else:
        why = "write it with digits, an optional minus sign and a period, e.g. 3.14"
    return Code.R2_NUMBER, f"This is not a plain number: {why}."


def check_int(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    problem = number_format_problem(value)
    if problem:
        return problem
    if not _INTEGER.fullmatch(value):
        return Code.COL_INT, "Enter a whole number, without a decimal part (e.g. 4)."
    if column.range_by_tech:
        spans = column.range_by_tech.values()
        low, high = column.range_by_tech.get(
            ctx.tech, (min(s[0] for s in spans), max(s[1] for s in spans))
        )
        return _in_range(column, float(value), Decimal(low), Decimal(high), Code.COL_RANGE)
    return _decimal_range(column, value)


def check_decimal(column: Column, value: str, ctx: RowContext, today: date) -> Problem | None:
    problem = number_format_problem(value)
    if problem:
        return problem
    if column.key in HEIGHT_KEYS:
        return height_problem(value, ctx.site_type, ctx.structure_height)
    return _decimal_range(column, value)


def _decimal_range(column: Column, value: str) -> Problem | None:
    number = float(value)
    if column.gt is not None and not number > float(column.gt):
        return Code.COL_RANGE, f"Enter a number greater than {column.gt}."
    code = Code.R10_ANGLE if column.key in ANGLE_KEYS else Code.COL_RANGE
    return _in_range(column, number, column.low, column.high, code)


def _in_range(
    column: Column, number: float, low: Decimal | None, high: Decimal | None, code: str
) -> Problem | None:
    # Compare floats with floats: rounding is monotonic, so the fast path's exact decimal
    # regexes never accept a value this check refuses.
    if (low is not None and number < float(low)) or (high is not None and number > float(high)):
        return code, f"Enter a number from {low} to {high}."
    return None


def above_structure(height: str, structure: str) -> bool:
    """R9: the antenna is more than 5 m above the structure height (both plain numbers)."""
    return float(height) > float(structure) + ABOVE_STRUCTURE + 1e-9


def height_problem(value: str, site_type: str, structure: str) -> Problem | None:
    """R9 for one antenna height (AM or AN) already known to be a plain number."""
    number = float(value)
    if site_type == UNDERGROUND:
        low, high = UNDERGROUND_HEIGHT
        if not float(low) <= number <= float(high):
            return Code.R9_HEIGHT, "At an underground site (N = U) enter a height from -100 to 0 m."
        return None
    low, high = HEIGHT
    if not float(low) <= number <= float(high):
        return Code.R9_HEIGHT, "Enter an antenna height from 0 to 600 m."
    if structure and _NUMBER.fullmatch(structure) and above_structure(value, structure):
        return Code.R9_HEIGHT, (
            f"The antenna is more than 5 m above the structure height ({structure} m in O): "
            "correct the antenna height or the structure height."
        )
    return None


