"""The column rule book, ``sitedata-columns.json``, loaded once into plain objects.

The JSON is a copy of ``shared/spec/sitedata-columns.json`` (the authority); a unit test fails
when the copy drifts from the shared original.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

SPEC_PACKAGE = "services.sitedata.domain"
SPEC_FILE = "sitedata-columns.json"
FIELD_COUNT = 54

REQUIRED_KINDS = frozenset(
    {"always", "optional", "station", "fx", "cond", "tx", "rx", "tx_fx", "rx_fx",
     "tx_directional", "rx_directional"}
)
VALUE_KINDS = frozenset(
    {"licence", "text", "email_list", "location", "code", "cell_id", "int", "decimal", "date",
     "emission"}
)


def _letters(count: int) -> list[str]:
    out: list[str] = []
    for n in range(count):
        first, second = divmod(n, 26)
        out.append((chr(64 + first) if first else "") + chr(65 + second))
    return out


COLUMNS: list[str] = _letters(FIELD_COUNT)


@dataclass(frozen=True, slots=True)
class Column:
    """One column's rules, as the JSON states them."""

    letter: str
    index: int
    key: str
    name: str
    kind: str
    required: str
    required_means: str
    when: str | None
    note: str | None
    pattern: re.Pattern[str] | None
    min_len: int | None
    max_len: int | None
    low: Decimal | None
    high: Decimal | None
    gt: Decimal | None
    codes: tuple[str, ...]
    caps: bool
    special: tuple[str, ...]
    range_by_tech: Mapping[str, tuple[int, int]]

    @property
    def label(self) -> str:
        """``H (Radio technology)``: how messages name the column."""
        return f"{self.letter} ({self.name})"

    @property
    def needed_when(self) -> str:
        """When the column must be filled in, in words."""
        return self.when if self.required == "cond" and self.when else self.required_means


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _column(raw: Mapping[str, Any], caps_columns: frozenset[str]) -> Column:
    letter = raw["column"]
    low, high = raw.get("range") or (None, None)
    pattern = raw.get("pattern")
    column = Column(
        letter=letter,
        index=int(raw["position"]) - 1,
        key=raw["key"],
        name=raw["name"],
        kind=raw["kind"],
        required=raw["required"],
        required_means=raw.get("required_means", ""),
        when=raw.get("when"),
        note=raw.get("note"),
        pattern=re.compile(pattern, re.ASCII) if pattern else None,
        min_len=raw.get("min_len"),
        max_len=raw.get("max_len"),
        low=_decimal(low),
        high=_decimal(high),
        gt=_decimal(raw.get("gt")),
        codes=tuple(raw.get("codes", {})),
        caps=bool(raw.get("caps")) or letter in caps_columns,
        special=tuple(raw.get("special", ())),
        range_by_tech=MappingProxyType(
            {tech: (int(lo), int(hi)) for tech, (lo, hi) in raw.get("range_by_tech", {}).items()}
        ),
    )
    if column.required not in REQUIRED_KINDS or column.kind not in VALUE_KINDS:
        raise ValueError(f"column {letter}: unknown required {column.required!r} or kind")
    return column


def load_spec_json() -> dict[str, Any]:
    """The rule book as parsed JSON."""
    text = resources.files(SPEC_PACKAGE).joinpath(SPEC_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def column_spec() -> tuple[Column, ...]:
    """Every column A..BB with its rules, in file order (the upload page explains them)."""
    data = load_spec_json()
    caps = frozenset(data.get("caps_columns", ()))
    columns = tuple(_column(raw, caps) for raw in data["columns"])
    if [c.letter for c in columns] != COLUMNS or [c.index for c in columns] != list(range(54)):
        raise ValueError("sitedata-columns.json must list the 54 columns A..BB in order")
    return columns


def by_key() -> dict[str, Column]:
    """Columns by their JSON key (``radio_technology`` -> H)."""
    return {c.key: c for c in column_spec()}
