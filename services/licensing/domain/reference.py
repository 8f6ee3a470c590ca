"""Reference tables shipped with the package: service areas and the radio equipment list."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from services.licensing.domain.geography import AreaTree, ServiceArea


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("services.licensing") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def service_areas() -> dict[str, str]:
    """Tier 1-5 service area code -> name (a sample of ISED's table; see docs/licensing.md)."""
    return {r["code"]: r["name"] for r in _rows("service_areas.csv")}


@cache
def sample_area_tree() -> AreaTree:
    """The shipped sample hierarchy: the one in use until an operator loads ISED's full set
    (``spectrum licensing load-service-areas``)."""
    return AreaTree(ServiceArea(r["code"], r["name"], int(r["tier"]), r.get("parent") or None)
                    for r in _rows("service_areas.csv"))


@dataclass(frozen=True)
class Band:
    """A band of a commercial mobile service (CPC-2-1-23 5.6.4.1)."""

    service: str
    low_mhz: float
    high_mhz: float


@cache
def commercial_mobile_bands() -> tuple[Band, ...]:
    return tuple(Band(r["service"], float(r["low_mhz"]), float(r["high_mhz"]))
                 for r in _rows("commercial_mobile_bands.csv"))


@dataclass(frozen=True)
class Equipment:
    certification_number: str
    manufacturer: str
    model: str
    low_mhz: float
    high_mhz: float
    certified: bool


@cache
def equipment_list() -> dict[str, Equipment]:
    return {r["certification_number"].upper(): Equipment(
        r["certification_number"], r["manufacturer"], r["model"], float(r["low_mhz"]),
        float(r["high_mhz"]), r["certified"] == "yes") for r in _rows("radio_equipment.csv")}


def find_equipment(certification_number: str) -> Equipment | None:
    return equipment_list().get(certification_number.strip().upper())
