"""The fast path: one precompiled regex per row shape accepts a whole valid row at once.

The regexes are built from the same column spec as the detailed checker and are
conservative: whatever they accept, the detailed checker accepts too (a property test checks
this); whatever they refuse goes to the detailed checker, which finds the precise errors.
Requirements that depend on other columns use conditional groups: flags such as ``fx``
(G = FX) or ``tx`` (S filled in) are named groups tested later with ``(?(fx)...)``.
Two values are checked in Python afterwards: the date Q against today and R9's
"at most 5 m above the structure height".

``fast_path(sep)`` matches one record: a line without quotes (``COMMA``), a line with every
field in quotes (``QUOTED``) or fields parsed by csv and joined (``UNIT_SEPARATOR``).
``block_path`` (in ``block_path.py``) builds on the same ``Builder`` to match a station's
rows at once in the decoded text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from . import patterns
from .context import CELLULAR, OUTDOOR
from .number_rules import HEIGHT, HEIGHT_KEYS, UNDERGROUND, UNDERGROUND_HEIGHT
from .row_rules import LOCATION
from .spec import Column, column_spec

COMMA = ","
QUOTED = '","'  # between the fields of a line with every field in quotes: "a","b",...
UNIT_SEPARATOR = "\x1f"  # joins fields parsed by csv (they may hold commas) for the regex

# Codes that raise a flag the conditional groups test.
_FLAGS: dict[str, dict[str, str]] = {
    "station_type": {"FX": "fx"},
    "radio_technology": {
        "LTE": "lte",
        "5GNR": "nr",
        "5GDSS": "nr",
        **{tech: "cell" for tech in CELLULAR - {"LTE", "5GNR", "5GDSS"}},
    },
    "site_type": {UNDERGROUND: "under", OUTDOOR: "outdoor"},
    "tx_pattern": {"D": "txd"},
    "rx_pattern": {"D": "rxd"},
}
# Columns the engine reads from a match: the cross-row key, the date, R9's heights.
CAPTURED = {
    "licence_number": "lic", "station_location": "loc", "latitude": "lat", "longitude": "lon",
    "site_type": "site", "structure_height": "structure", "in_service_date": "day",
    "tx_antenna_height": "txh", "rx_antenna_height": "rxh",
}
GROUPS = tuple(CAPTURED.values())
HEAD_END = column_spec()[8].index  # I: the head A..H of a row ends before it
# Columns the rows of one station usually do not share (sectors, channels); the runs of the
# other columns of I..BB are captured as SPANS.
VARYING = frozenset({"cell_id", "tx_frequency", "rx_frequency", "tx_azimuth", "rx_azimuth"})
SPANS = ("s0", "s1", "s2")
# ASCII e-mail addresses: a strict subset of patterns.EMAIL, and quicker to match.
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9]|)"
_EMAIL = f"[A-Za-z0-9._%+'-]+@{_LABEL}(?:\\.{_LABEL})+"

# When a 'required' kind demands a value, as a chain of flags that must all be set.
_NEEDS: dict[str, tuple[str, ...]] = {
    "fx": ("fx",), "tx": ("tx",), "rx": ("rx",), "tx_fx": ("tx", "fx"), "rx_fx": ("rx", "fx"),
    "tx_directional": ("tx", "txd"), "rx_directional": ("rx", "rxd"),
}


# The commonest row: a fixed station with Tx and Rx. Its regex needs fewer conditional
# groups, so it is tried first; any other row is tried with the general regex.
COMMON_SHAPE = frozenset({"fx", "tx", "rx"})
_SHAPE_CODES = {"station_type": "fx", "tx_pattern": "txd", "rx_pattern": "rxd"}


@dataclass(frozen=True, slots=True)
class FastPath:
    """``common`` and ``station`` match whole station rows, ``special`` special rows; their
    captured values are ``match.group(*ids)``."""

    common: re.Pattern[str]
    station: re.Pattern[str]
    special: re.Pattern[str]
    ids: tuple[int, ...]


def ids_of(regexes: list[re.Pattern[str]], names: tuple[str, ...]) -> tuple[int, ...]:
    """The numbers of the named groups, the same in every regex."""
    found = {tuple(regex.groupindex[name] for name in names) for regex in regexes}
    if len(found) != 1:
        raise AssertionError("the captured columns must have the same group numbers")
    return found.pop()


@cache
def fast_path(sep: str, mixed: bool = False) -> FastPath:
    """The compiled regexes for one record whose fields are joined with ``sep`` (``mixed``:
    with ``COMMA``, each field in quotes or not)."""
    general = Builder(sep, mixed=mixed)
    common = re.compile(Builder(sep, COMMON_SHAPE, mixed=mixed).station_row())
    station = re.compile(general.station_row())
    special = re.compile(general.special_row())
    return FastPath(common, station, special, ids_of([common, station], GROUPS))


class Builder:
    """Writes the regexes of a row shape (``shape``: the flags known to be set) for fields
    joined with ``sep``; ``block``: for rows found in the decoded text, where a field must
    stop at a line end and may hold no quote; ``mixed``: each field written in quotes or not
    (a value then holds neither a quote nor a comma)."""

    def __init__(self, sep: str, shape: frozenset[str] = frozenset(), *, block: bool = False,
                 mixed: bool = False) -> None:
        self.shape = shape
        self.mixed = mixed
        self.sep = re.escape(sep)
        # A line of comma-joined values reaches the regex without quotes and line ends (the
        # engine sees to it): its fields exclude the separator alone, the quickest class.
        # Fields parsed by csv may hold line ends (only text accepts them, as the detailed
        # checker does). Quoted fields hold neither a quote nor a comma: csv reads them as is.
        self.chars = re.escape(sep) + ('"\\r\\n' if block else '"' if mixed else "")
        self.plain = sep != UNIT_SEPARATOR  # no comma inside a value
        self.quote = '"' if sep == QUOTED else ""
        self.end = self.quote + ("[\\r\\n]" if block else "\\Z")
        self.close = '"?' if mixed else ""  # what may follow a value before the separator
        self.capture = True  # S and T set the flags tx and rx (a repeated row only tests them)
        self.filled = f"(?=[^{self.chars}])"
        # R1 in the regex: a text value starts with no whitespace and ends on a lookbehind
        # for none.
        self.inner = f"[^{self.chars}]"
        self.first = rf"[^\s{self.chars}]"

    def head(self) -> str:
        """Columns A..H and the separator after them."""
        return self.quote + self.sep.join(self.field(c) for c in column_spec()[:HEAD_END]) + \
            self.sep

    def station_row(self) -> str:
        return self.head() + self.tail_row()

    def tail_row(self) -> str:
        """Columns I..BB, the runs of columns a station's rows share captured as SPANS."""
        return self.spans(self.captured_run) + self.quote

    def captured_run(self, name: str, columns: list[Column]) -> str:
        return f"(?P<{name}>{self.sep.join(self.field(c) for c in columns)})"

    def spans(self, run: Callable[[str, list[Column]], str]) -> str:
        """Columns I..BB: the VARYING ones as fields, each run of the others (named as in
        SPANS) as ``run`` writes it."""
        parts: list[str] = []
        shared: list[Column] = []
        names = iter(SPANS)
        for column in (*column_spec()[HEAD_END:], None):
            if column is not None and column.key not in VARYING:
                shared.append(column)
                continue
            if shared:
                parts.append(run(next(names), shared))
                shared = []
            if column is not None:
                parts.append(self.field(column))
        return self.sep.join(parts)

    def special_row(self) -> str:
        head = [self.field(c) for c in column_spec()[: LOCATION.index]]
        keywords = "|".join(k for k in LOCATION.special if k not in {"NOCHANGES"})
        empty = len(column_spec()) - LOCATION.index - 1
        row = self.sep.join([*head, f"(?:{keywords})"]) + self.sep * empty
        return self.quote + row + self.quote

    def field(self, column: Column) -> str:
        field = self._field(column)
        name = CAPTURED.get(column.key)
        if name:
            field = f"(?P<{name}>{field})"
        if not self.mixed:
            return field
        if not self.capture:  # a repeated row: no groups (a group keeps an earlier capture)
            return f'(?:"{field}"|{field})'
        quoted = f"q{column.index}"  # (?:x|), not (?:x)?: sre's generic repeat is slow
        return f'(?:(?P<{quoted}>")|){field}(?({quoted})")'

    def _field(self, column: Column) -> str:
        value = self.value(column)
        if column.key in {"tx_frequency", "rx_frequency"}:
            return self._frequency(column.key[:2], value)
        if set(_NEEDS.get(column.required, ("-",))) <= self.shape:
            return value
        if column.required in {"always", "station"}:
            return value
        return self._condition(column) + f"(?:{value}|)"

    def _condition(self, column: Column) -> str:
        if column.key == "cell_id":
            return self._if("lte", self.filled, self._if("nr", self.filled, self._if(
                "cell", self.filled)))
        if column.key == "physical_cell_id":
            return self._if("lte", self.filled, self._if("nr", self.filled))
        if column.key == "structure_height":
            return f"(?(outdoor){self.filled})"
        condition = ""
        for flag in reversed(_NEEDS.get(column.required, ())):
            condition = f"(?({flag}){condition or self.filled})"
        return condition

    def _frequency(self, flag: str, value: str) -> str:
        """S or T: it sets the flag ``tx`` or ``rx``; R8 wants one of them."""
        if not self.capture:  # a station's next row: filled in exactly as its first row
            return f"(?({flag}){value}|)"
        if self.shape:
            return f"(?P<{flag}>{value})"
        r8 = "(?(tx)|(?(rx)|(?!)))" if flag == "rx" else ""
        return f"(?:(?P<{flag}>{value})|){r8}"

    @staticmethod
    def _if(flag: str, yes: str, no: str = "") -> str:
        """``yes`` when the flag is set, else ``no``."""
        return f"(?({flag}){yes}|{no})"

    def value(self, column: Column) -> str:
        method = getattr(self, f"_{column.kind}")
        value: str = method(column)
        return value

    def _text(self, column: Column) -> str:
        low = max((column.min_len or 1) - 1, 0)
        high = "" if column.max_len is None else str(column.max_len - 1)
        return rf"{self.first}{self.inner}{{{low},{high}}}(?<!\s)"

    def _location(self, column: Column) -> str:
        words = "|".join(re.escape(w) for w in column.special)
        return f"(?!(?i:{words}){self.close}{self.sep})" + self._text(column)

    def _length(self, column: Column) -> str:
        low, high = column.min_len or 1, column.max_len or ""
        return f"(?={self.inner}{{{low},{high}}}{self.close}(?:{self.sep}|{self.end}))"

    def _embedded(self, column: Column) -> str:
        assert column.pattern is not None
        return column.pattern.pattern.removeprefix("^").removesuffix("$").replace(
            r"\d", "[0-9]"
        )

    def _licence(self, column: Column) -> str:
        return self._embedded(column)

    def _cell_id(self, column: Column) -> str:
        return self._length(column) + self._embedded(column)

    def _emission(self, column: Column) -> str:
        return self._embedded(column)

    def _email_list(self, column: Column) -> str:
        email = _EMAIL
        more = "" if self.plain else f"(?: *, *{email})*"
        return self._length(column) + email + more

    def _code(self, column: Column) -> str:
        flags = _FLAGS.get(column.key, {})
        groups: dict[str, list[str]] = {}
        codes = column.codes
        if _SHAPE_CODES.get(column.key) in self.shape:
            codes = tuple(c for c in codes if flags.get(c) in self.shape)
        for code in codes:
            groups.setdefault(flags.get(code, ""), []).append(re.escape(code))
        parts = [
            f"(?P<{flag}>{'|'.join(codes)})" if flag else "|".join(codes)
            for flag, codes in groups.items()
        ]
        return f"(?:{'|'.join(parts)})"

    def _date(self, column: Column) -> str:
        return patterns.DATE

    def _int(self, column: Column) -> str:
        if column.range_by_tech:
            return self._by_technology(column)
        return patterns.number_range(column.low, column.high, integer=True)

    def _by_technology(self, column: Column) -> str:
        """J: LTE, 5G (5GNR and 5GDSS alike) or, for any other technology, the widest range."""
        spans = column.range_by_tech

        def span(low: int, high: int) -> str:
            return patterns.number_range(Decimal(low), Decimal(high), integer=True)

        widest = span(min(s[0] for s in spans.values()), max(s[1] for s in spans.values()))
        lte = span(*spans["LTE"]) if "LTE" in spans else widest
        nr = {spans[t] for t in ("5GNR", "5GDSS") if t in spans}
        fifth = span(*nr.pop()) if len(nr) == 1 else patterns.NOTHING
        return self._if("lte", lte, self._if("nr", fifth, widest))

    def _decimal(self, column: Column) -> str:
        if column.key in HEIGHT_KEYS:
            under = patterns.number_range(*UNDERGROUND_HEIGHT)
            return f"(?(under){under}|{patterns.number_range(*HEIGHT)})"
        if column.gt is not None:
            return patterns.number_range(column.gt, column.high, strict_low=True)
        if column.low is not None:
            return patterns.number_range(column.low, column.high)
        return r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+|)"

