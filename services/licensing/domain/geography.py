"""Service areas (CPC-2-1-23 5.1): five nested tiers, and the part of them a licence holds.

Tier 1 is Canada; every tier 2 area lies inside it, every tier 3 area inside one tier 2 area,
and so on to tier 5. A licence holds its ``service_area`` less the areas divided off it
(``excluded_areas``). A code that is not in the tree (a custom area described by the
applicant) is inside nothing but itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

TIERS = (1, 2, 3, 4, 5)
_CODE = re.compile(r"^([1-5])-\d{3}$")


@dataclass(frozen=True)
class ServiceArea:
    code: str
    name: str
    tier: int
    parent: str | None = None


def tier_of_code(code: str) -> int | None:
    """ISED's codes carry their tier: ``3-013`` is a tier 3 area."""
    match = _CODE.match(code.strip())
    return int(match.group(1)) if match else None


class AreaTree:
    """The service-area hierarchy, looked up by code."""

    def __init__(self, areas: Iterable[ServiceArea]):
        self._by_code = {a.code: a for a in areas}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> ServiceArea | None:
        return self._by_code.get(code)

    def all(self) -> list[ServiceArea]:
        return sorted(self._by_code.values(), key=lambda a: (a.tier, a.code))

    def label(self, code: str) -> str:
        area = self._by_code.get(code)
        return f"{area.name} ({code})" if area else code

    def describe(self, held: str, excluded: Iterable[str] = ()) -> str:
        """``Ottawa (3-013) less Ottawa (4-038)``: a licence's area as people read it."""
        gone = [self.label(x) for x in excluded]
        return self.label(held) + (" less " + ", ".join(gone) if gone else "")

    def lineage(self, code: str) -> list[str]:
        """The code and its ancestors, up to tier 1 (a broken chain simply stops)."""
        chain = [code]
        area = self._by_code.get(code)
        while area is not None and area.parent and area.parent not in chain:
            chain.append(area.parent)
            area = self._by_code.get(area.parent)
        return chain

    def descendants(self, code: str) -> set[str]:
        """Every area inside ``code``, at any tier below it."""
        children: dict[str, list[str]] = {}
        for area in self._by_code.values():
            if area.parent:
                children.setdefault(area.parent, []).append(area.code)
        found: set[str] = set()
        todo = list(children.get(code, []))
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(children.get(current, []))
        return found

    def within(self, inner: str, outer: str) -> bool:
        """Whether all of ``inner`` lies inside ``outer`` (an area is inside itself)."""
        return outer in self.lineage(inner)

    def overlap(self, a: str, b: str) -> bool:
        """Nested tiers overlap only when one contains the other."""
        return self.within(a, b) or self.within(b, a)

    def holds(self, held: str, excluded: Iterable[str], area: str) -> bool:
        """Whether a licence for ``held`` less ``excluded`` covers all of ``area``."""
        return self.within(area, held) and not any(self.overlap(area, x) for x in excluded)

    def touches(self, held: str, excluded: Iterable[str], area: str) -> bool:
        """Whether a licence for ``held`` less ``excluded`` covers any part of ``area``."""
        gone = list(excluded)
        if self.within(area, held):
            return not any(self.within(area, x) for x in gone)
        if self.within(held, area):
            return not any(self.within(held, x) for x in gone)
        return False


def problems(areas: list[ServiceArea], limit: int = 20) -> list[str]:
    """What makes a set of areas unusable as the hierarchy (the first ``limit`` found)."""
    found: list[str] = []
    by_code: dict[str, ServiceArea] = {}
    for area in areas:
        if area.code in by_code:
            found.append(f"{area.code}: listed twice")
        by_code[area.code] = area
    for area in areas:
        found.extend(_problems_of(area, by_code))
    if not any(a.tier == 1 for a in areas):
        found.append("no tier 1 area (Canada)")
    return found[:limit]


def _problems_of(area: ServiceArea, by_code: dict[str, ServiceArea]) -> list[str]:
    if area.tier not in TIERS:
        return [f"{area.code}: tier {area.tier} is not 1 to 5"]
    if not area.name.strip():
        return [f"{area.code}: no name"]
    if area.tier == 1:
        return [f"{area.code}: a tier 1 area has no parent"] if area.parent else []
    parent = by_code.get(area.parent or "")
    if parent is None:
        return [f"{area.code}: parent {area.parent or '(none)'} is not in the file"]
    if parent.tier != area.tier - 1:
        return [f"{area.code}: a tier {area.tier} area must sit in a tier {area.tier - 1} "
                f"area, not in {parent.code} (tier {parent.tier})"]
    return []
