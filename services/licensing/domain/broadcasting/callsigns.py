"""Call signs of broadcasting stations: their forms per service, auxiliary and IBOC signs,
and the catalogue of available signs and stations on file that the project ships."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_SUFFIX = {"AM": "", "FM": "-FM", "DTV": "-DT"}
_LETTERS = r"[CV][A-Z]{2,3}"


def normalized(call_sign: str) -> str:
    return call_sign.strip().upper()


def valid_for(service: str, call_sign: str) -> bool:
    """CFRB (AM), CHFI-FM or CBCT-FM-1 (FM), CFTO-DT (DTV)."""
    suffix = _SUFFIX.get(service)
    if suffix is None:
        return False
    pattern = _LETTERS + re.escape(suffix) + (r"(-\d{1,2})?" if suffix else "")
    return re.fullmatch(pattern, normalized(call_sign)) is not None


def base_letters(call_sign: str) -> str:
    return normalized(call_sign).split("-", 1)[0]


def auxiliary_sign(main: str, number: int) -> str:
    """An alternate or standby transmitter: XXXX-FM-AX#."""
    return f"{normalized(main)}-AX{number}"


def iboc_sign(main: str) -> str:
    """An IBOC transmitter: XXXX-HD."""
    return f"{base_letters(main)}-HD"


def auxiliary_valid(main: str, call_sign: str) -> bool:
    pattern = re.escape(normalized(main)) + r"-AX[1-9]"
    return re.fullmatch(pattern, normalized(call_sign)) is not None


@dataclass(frozen=True)
class Station:
    """A broadcasting station on file (for originating-station lookup and signs in use)."""

    call_sign: str
    service: str
    frequency: float
    city: str
    province: str

    def view(self) -> dict[str, Any]:
        return {"call_sign": self.call_sign, "service": self.service,
                "frequency": self.frequency, "city": self.city, "province": self.province}


@dataclass(frozen=True)
class Transmitter:
    """A type-approved transmitter of the shipped list (looked up by HVIN and company)."""

    id: str
    company: str
    hvin: str
    service: str
    rated_power_w: float

    def view(self) -> dict[str, Any]:
        return {"id": self.id, "company": self.company, "hvin": self.hvin,
                "service": self.service, "rated_power_w": self.rated_power_w}


@dataclass(frozen=True)
class Catalogue:
    """The shipped lists: call signs available for new stations, stations on file,
    transmitters. Signs of certificates issued later are added by the handler."""

    available: frozenset[str] = frozenset()
    stations: tuple[Station, ...] = ()
    transmitters: tuple[Transmitter, ...] = ()
    issued: frozenset[str] = field(default_factory=frozenset)

    def in_use(self, call_sign: str) -> bool:
        sign = normalized(call_sign)
        return sign in self.issued or any(s.call_sign == sign for s in self.stations)

    def available_signs(self, service: str | None = None) -> list[str]:
        signs = (s for s in self.available if not self.in_use(s))
        return sorted(s for s in signs if service is None or valid_for(service, s))

    def transmitter(self, transmitter_id: str) -> Transmitter | None:
        return next((t for t in self.transmitters if t.id == transmitter_id), None)

    def find_transmitters(self, hvin: str = "", company: str = "") -> list[Transmitter]:
        """Part of a model number matches, ignoring dashes, spaces and case."""
        def squash(text: str) -> str:
            return re.sub(r"[\s\-]", "", text).upper()
        return [t for t in self.transmitters
                if squash(hvin) in squash(t.hvin) and squash(company) in squash(t.company)]

    def find_stations(self, text: str = "", service: str = "") -> list[Station]:
        needle = text.strip().upper()
        return [s for s in self.stations if (not service or s.service == service)
                and (needle in s.call_sign or needle in s.city.upper())]

    def with_issued(self, signs: Iterable[str]) -> Catalogue:
        return Catalogue(self.available, self.stations, self.transmitters,
                         frozenset(normalized(s) for s in signs) | self.issued)


def catalogue_from(available: Iterable[str], stations: Iterable[Mapping[str, Any]],
                   transmitters: Iterable[Mapping[str, Any]]) -> Catalogue:
    return Catalogue(
        frozenset(normalized(s) for s in available if s.strip()),
        tuple(Station(normalized(s["call_sign"]), s["service"], float(s["frequency"]),
                      s.get("city", ""), s.get("province", "")) for s in stations),
        tuple(Transmitter(t["id"], t["company"], t["hvin"], t["service"],
                          float(t["rated_power_w"])) for t in transmitters))
