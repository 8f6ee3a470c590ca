"""What a row's requirements depend on, and when a column must be filled in (the JSON's
``required`` kinds, with ``cond`` spelled out from each column's ``when`` text)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .spec import Column, by_key, column_spec

# I (cell ID) is required for these technologies: the 'when' text of column I says so.
CELLULAR = frozenset({"GSM", "CDMA", "HSPA", "LTE", "5GNR", "5GDSS"})
OUTDOOR = "O"
_IX = {c.key: c.index for c in column_spec()}


@dataclass(frozen=True, slots=True)
class RowContext:
    """What a row's requirements depend on, read leniently (``fx`` counts as FX)."""

    station: bool
    fx: bool
    tech: str
    site_type: str
    tx: bool
    rx: bool
    tx_directional: bool
    rx_directional: bool
    structure_height: str


def row_context(fields: Sequence[str], station: bool) -> RowContext:
    """The context of a row with 54 fields."""

    def up(key: str) -> str:
        return fields[_IX[key]].strip().upper()

    tx = station and bool(fields[_IX["tx_frequency"]].strip())
    rx = station and bool(fields[_IX["rx_frequency"]].strip())
    return RowContext(
        station=station,
        fx=station and up("station_type") == "FX",
        tech=up("radio_technology") if station else "",
        site_type=up("site_type") if station else "",
        tx=tx,
        rx=rx,
        tx_directional=tx and up("tx_pattern") == "D",
        rx_directional=rx and up("rx_pattern") == "D",
        structure_height=fields[_IX["structure_height"]].strip() if station else "",
    )


_PCI_TECHS = frozenset(by_key()["physical_cell_id"].range_by_tech)
_COND: dict[str, Callable[[RowContext], bool]] = {
    "cell_id": lambda c: c.station and c.tech in CELLULAR,
    "physical_cell_id": lambda c: c.station and c.tech in _PCI_TECHS,
    "structure_height": lambda c: c.station and c.site_type == OUTDOOR,
    "tx_frequency": lambda c: False,  # R8 asks for S or T; see row_rules
    "rx_frequency": lambda c: False,
}
_REQUIRED: dict[str, Callable[[RowContext], bool]] = {
    "always": lambda c: True,
    "optional": lambda c: False,
    "station": lambda c: c.station,
    "fx": lambda c: c.fx,
    "tx": lambda c: c.tx,
    "rx": lambda c: c.rx,
    "tx_fx": lambda c: c.tx and c.fx,
    "rx_fx": lambda c: c.rx and c.fx,
    "tx_directional": lambda c: c.tx_directional,
    "rx_directional": lambda c: c.rx_directional,
}
if missing := {c.key for c in column_spec() if c.required == "cond"} - set(_COND):
    raise ValueError(f"no rule for the conditional columns {sorted(missing)}")


def is_required(column: Column, ctx: RowContext) -> bool:
    """Whether the column must be filled in on this row."""
    if column.required == "cond":
        return _COND[column.key](ctx)
    return _REQUIRED[column.required](ctx)


