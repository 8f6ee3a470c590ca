"""The fast path: one precompiled regex per row shape accepts a whole valid row at once.

The regexes are built from the same column spec as the detailed checker and are
conservative: whatever they accept, the detailed checker accepts too (a property test checks
this); whatever they refuse goes to the detailed checker, which finds the precise errors.
Requirements that depend on other columns use conditional groups: flags such as ``fx``
(G = FX) or ``tx`` (S filled in) are named groups tested later with ``(?(fx)...)``.
Two values are checked in Python afterwards: the date Q against today and R9's
"at most 5 m above the structure height".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from . import patterns
from .context import CELLULAR, OUTDOOR
from .number_rules import HEIGHT, HEIGHT_KEYS, UNDERGROUND, UNDERGROUND_HEIGHT
from .row_rules import LOCATION
from .spec import Column, column_spec

COMMA = ","
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
# Whitespace other than the space: never allowed in a fast-path field. Spaces at the edges of
# a field are found by ``spaced`` on the whole line, so R1 needs no per-field regex work.
_OTHER_SPACE = "".join(
    f"\\u{ord(c):04x}" for c in map(chr, range(0x3001)) if c.isspace() and c != " "
)
# ASCII e-mail addresses: a strict subset of patterns.EMAIL, and quicker to match.
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9]|)"
_EMAIL = f"[A-Za-z0-9._%+'-]+@{_LABEL}(?:\\.{_LABEL})+"

# When a 'required' kind demands a value, as a chain of flags that must all be set.
_NEEDS: dict[str, tuple[str, ...]] = {
    "fx": ("fx",), "tx": ("tx",), "rx": ("rx",), "tx_fx": ("tx", "fx"), "rx_fx": ("rx", "fx"),
    "tx_directional": ("tx", "txd"), "rx_directional": ("rx", "rxd"),
}


def spaced(line: str, sep: str) -> bool:
    """R1 on a whole line: some field starts or ends with a space."""
    return (
        f"{sep} " in line or f" {sep}" in line or line.startswith(" ") or line.endswith(" ")
    )


# The commonest row: a fixed station with Tx and Rx, both directional. Its regex needs no
# conditional groups, so it is tried first; any other row is tried with the general regex.
COMMON_SHAPE = frozenset({"fx", "tx", "rx", "txd", "rxd"})
_SHAPE_CODES = {"station_type": "fx", "tx_pattern": "txd", "rx_pattern": "rxd"}


@dataclass(frozen=True, slots=True)
class FastPath:
    common: re.Pattern[str]
    station: re.Pattern[str]
    special: re.Pattern[str]


@cache
def fast_path(sep: str) -> FastPath:
    """The compiled regexes for rows whose fields are joined with ``sep``."""
    general = _Builder(sep)
    return FastPath(
        re.compile(_Builder(sep, COMMON_SHAPE).station_row()),
        re.compile(general.station_row()),
        re.compile(general.special_row()),
    )


class _Builder:
    def __init__(self, sep: str, shape: frozenset[str] = frozenset()) -> None:
        self.shape = shape
        self.sep = re.escape(sep)
        # A field joined by commas cannot hold a comma or a quote (the line had none).
        self.chars = r",\"\r\n" if sep == COMMA else r"\x1f\r\n"
        self.filled = f"(?=[^{self.chars}])"
        self.text_char = f"[^{self.chars}{_OTHER_SPACE}]"

    def station_row(self) -> str:
        return self.sep.join(self.field(c) for c in column_spec())

    def special_row(self) -> str:
        head = [self.field(c) for c in column_spec()[: LOCATION.index]]
        keywords = "|".join(k for k in LOCATION.special if k not in {"NOCHANGES"})
        empty = len(column_spec()) - LOCATION.index - 1
        return self.sep.join([*head, f"(?:{keywords})"]) + self.sep * empty

    def field(self, column: Column) -> str:
        field = self._field(column)
        name = CAPTURED.get(column.key)
        return f"(?P<{name}>{field})" if name else field

    def _field(self, column: Column) -> str:
        value = self.value(column)
        if column.key in {"tx_frequency", "rx_frequency"} and self.shape:
            return f"(?P<{column.key[:2]}>{value})"
        if set(_NEEDS.get(column.required, ("-",))) <= self.shape:
            return value
        if column.key == "tx_frequency":
            return f"(?:(?P<tx>{value})|)"
        if column.key == "rx_frequency":
            return f"(?:(?P<rx>{value})|)(?(tx)|(?(rx)|(?!)))"  # R8: S or T
        if column.required in {"always", "station"}:
            return value
        return self._condition(column) + f"(?:{value}|)"

    def _condition(self, column: Column) -> str:
        if column.key == "cell_id":
            return f"(?(lte){self.filled}|(?(nr){self.filled}|(?(cell){self.filled})))"
        if column.key == "physical_cell_id":
            return f"(?(lte){self.filled}|(?(nr){self.filled}))"
        if column.key == "structure_height":
            return f"(?(outdoor){self.filled})"
        condition = ""
        for flag in reversed(_NEEDS.get(column.required, ())):
            condition = f"(?({flag}){condition or self.filled})"
        return condition

    def value(self, column: Column) -> str:
        method = getattr(self, f"_{column.kind}")
        value: str = method(column)
        return value

    def _text(self, column: Column) -> str:
        high = "" if column.max_len is None else str(column.max_len)
        return f"{self.text_char}{{{column.min_len or 1},{high}}}"

    def _location(self, column: Column) -> str:
        words = "|".join(re.escape(w) for w in column.special)
        return f"(?!(?i:{words}){self.sep})" + self._text(column)

    def _length(self, column: Column) -> str:
        low, high = column.min_len or 1, column.max_len or ""
        return f"(?=[^{self.chars}]{{{low},{high}}}(?:{self.sep}|\\Z))"

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
        more = "" if self.sep == COMMA else f"(?: *, *{email})*"
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
        nr = {spans.get(t) for t in ("5GNR", "5GDSS")}
        fifth = span(*nr.pop()) if len(nr) == 1 and None not in nr else patterns.NOTHING
        return f"(?(lte){lte}|(?(nr){fifth}|{widest}))"

    def _decimal(self, column: Column) -> str:
        if column.key in HEIGHT_KEYS:
            under = patterns.number_range(*UNDERGROUND_HEIGHT)
            return f"(?(under){under}|{patterns.number_range(*HEIGHT)})"
        if column.gt is not None:
            return patterns.number_range(column.gt, column.high, strict_low=True)
        if column.low is not None:
            return patterns.number_range(column.low, column.high)
        return r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+|)"
