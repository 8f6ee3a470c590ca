"""Spectrum concentration before and after a transfer (CPC-2-1-23 5.6.4.2): the holdings of
the applicants and their affiliates in the bands and areas concerned, against everyone's
holdings there, in the licensed band and across commercial mobile bands.

Pure: the handler hands in the licences in force and what the transfer moves. Whether a
holding counts in an area is ``touches(held area, excluded areas, area)``: the service-area
hierarchy's (a licence for an area containing it or inside it, less what was divided off);
by default the same code or a national tier 1 licence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from services.licensing.domain.blocks import Block, parse_block
from services.licensing.domain.conditions import ConditionTemplates

NATIONAL = "1-001"
Touches = Callable[[str, tuple[str, ...], str], bool]


def same_code(held: str, excluded: tuple[str, ...], area: str) -> bool:
    return held in (area, NATIONAL) and area not in excluded


@dataclass(frozen=True)
class Holding:
    """A licence in force, as the review counts it."""

    licence_number: str
    account_number: str
    area: str
    blocks: tuple[str, ...]
    commercial_mobile: bool
    excluded: tuple[str, ...] = ()  # areas divided off the licence


@dataclass(frozen=True)
class Move:
    """What the transfer moves from the licensee's group to the transferee's."""

    licence_number: str
    area: str           # the area that moves (the licence's, or the part divided off)
    blocks: tuple[str, ...]  # the blocks that move (all of them, or the bandwidth divided off)
    commercial_mobile: bool = True


@dataclass(frozen=True)
class Groups:
    licensee: frozenset[str]    # the licensee's account and its affiliates
    transferee: frozenset[str]  # the transferee's account and its affiliates


@dataclass
class Tally:
    """MHz held in one band (or across commercial mobile bands) in one area."""

    licensee: float = 0.0
    transferee: float = 0.0
    total: float = 0.0  # every holder's, applicants included

    def share(self, mhz: float) -> float:
        return round(100 * mhz / self.total, 1) if self.total else 0.0


@dataclass
class Row:
    band: str
    area: str
    before: Tally = field(default_factory=Tally)
    after: Tally = field(default_factory=Tally)
    licences: list[str] = field(default_factory=list)  # the applicants' licences counted


def mhz(blocks: Iterable[str]) -> float:
    parsed: list[Block] = [b for b in map(parse_block, blocks) if b]
    return round(sum(high - low for low, high in parsed), 3)


def review(moves: list[Move], holdings: list[Holding], groups: Groups,
           templates: ConditionTemplates, touches: Touches = same_code) -> list[Row]:
    """One row per band and area concerned, then one per area across commercial mobile
    bands (band ``*``): the applicants' MHz and shares before and after the transfer."""
    rows: dict[tuple[str, str], Row] = {}
    for move in moves:
        band = templates.band_of_blocks(move.blocks)
        name = band.name if band else "?"
        rows.setdefault((name, move.area), Row(name, move.area))
        rows.setdefault(("*", move.area), Row("*", move.area))
    for (name, area), row in rows.items():
        for held in holdings:
            if not touches(held.area, held.excluded, area) or not _counts(held, name,
                                                                          templates):
                continue
            amount = mhz(held.blocks) if name == "*" else mhz(
                b for b in held.blocks if _band_name(b, templates) == name)
            _add(row, held, amount, groups)
        moved = sum(mhz(m.blocks) for m in moves if touches(m.area, (), area) and (
            m.commercial_mobile if name == "*" else _band_name_of(m.blocks, templates) == name))
        row.after = Tally(round(row.before.licensee - moved, 3),
                          round(row.before.transferee + moved, 3), row.before.total)
    return sorted(rows.values(), key=lambda r: (r.area, r.band == "*", r.band))


def _counts(held: Holding, band: str, templates: ConditionTemplates) -> bool:
    if band == "*":
        return held.commercial_mobile
    return any(_band_name(b, templates) == band for b in held.blocks)


def _band_name(block: str, templates: ConditionTemplates) -> str:
    parsed = parse_block(block)
    found = templates.band_of(parsed) if parsed else None
    return found.name if found else "?"


def _band_name_of(blocks: Iterable[str], templates: ConditionTemplates) -> str:
    found = templates.band_of_blocks(blocks)
    return found.name if found else "?"


def _add(row: Row, held: Holding, amount: float, groups: Groups) -> None:
    row.before.total = round(row.before.total + amount, 3)
    if held.account_number in groups.licensee:
        row.before.licensee = round(row.before.licensee + amount, 3)
        row.licences.append(held.licence_number)
    elif held.account_number in groups.transferee:
        row.before.transferee = round(row.before.transferee + amount, 3)
        row.licences.append(held.licence_number)


def moves_of(lines: Iterable[dict[str, object]], licences: dict[str, Holding]) -> list[Move]:
    """What each line of Part 1 moves: a whole licence, its bandwidth or its area part (a
    transfer), or the range and area a subordinate licence would use."""
    found = []
    for line in lines:
        held = licences.get(str(line.get("licence_number") or line.get("primary_licence")))
        if held is None:
            continue
        area, blocks = held.area, held.blocks
        if "primary_licence" in line:
            area = str(line.get("geographic_area") or held.area)
            blocks = (str(line.get("frequency_range") or ""),)
        elif line.get("scope") == "bandwidth":
            blocks = (str(line.get("block") or ""),)
        elif line.get("scope") == "geographic":
            area = str(line.get("area_code") or held.area)
        found.append(Move(held.licence_number, area, blocks, held.commercial_mobile))
    return found
