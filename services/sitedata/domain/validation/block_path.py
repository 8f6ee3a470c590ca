"""The block path: one regex matches, in the decoded text, a station row and the rows of the
same station after it, so most rows cost no Python at all.

The first row is matched like any station row (``fast_path``'s ``station`` regex), with
fields that stop at a line end and hold no quote. The rows after it must start with the same
columns A..H (``(?P=head)``), end with the same line end, and hold the same text in the
columns a station's rows share (``(?P=s0)``.. ``(?P=s2)``, see ``fast_path.VARYING``); only
their VARYING columns are matched, with the conditions the first row's flags decide (S and T
filled in exactly when the first row's are). Such a row is the row the line-by-line path would
accept as the next row of the same station: same station key, date and heights, so nothing
more is checked in Python. A row longer than the line limit is never taken: the engine reads
a block longer than that limit line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .fast_path import COMMON_SHAPE, GROUPS, QUOTED, Builder, Column, ids_of

LINE_END = r"(?P<eol>\r\n|\n|\r)"


@dataclass(frozen=True, slots=True)
class BlockPath:
    """``common`` (the commonest shape, quicker) then ``general`` are tried at a line start:
    ``match(text, pos)``. A match holds one station row and the next rows of that station;
    the first row's captured values are ``match.group(*ids)``, its text without the line end
    is group ``body``, the line end group ``eol``."""

    common: re.Pattern[str]
    general: re.Pattern[str]
    unquote: bool  # fields may be in quotes: the sink gets the rows without them
    ids: tuple[int, ...]
    body: int
    eol: int


@cache
def block_path(sep: str, mixed: bool = False) -> BlockPath:
    """The station-block regexes for rows whose fields are joined with ``sep`` (``COMMA``:
    no quotes, or with ``mixed`` each field in quotes or not; ``QUOTED``: every field in
    quotes)."""
    common, general = (re.compile(_station_block(sep, shape, mixed))
                       for shape in (COMMON_SHAPE, frozenset()))
    return BlockPath(common, general, sep == QUOTED or mixed, ids_of([common, general], GROUPS),
                     *ids_of([common, general], ("body", "eol")))


def _station_block(sep: str, shape: frozenset[str], mixed: bool) -> str:
    first = Builder(sep, shape, block=True, mixed=mixed)
    row = f"(?P<body>(?P<head>{first.head()}){first.tail_row()}){LINE_END}"
    then = Builder(sep, shape, block=True, mixed=mixed)
    then.capture = False
    same = then.spans(_backreference) + then.quote
    # (?!\n): a CR line end must not be the start of a CR LF one
    return f"{row}(?:(?P=head){same}(?P=eol)(?!\\n))*+"


def _backreference(name: str, columns: list[Column]) -> str:
    return f"(?P={name})"
