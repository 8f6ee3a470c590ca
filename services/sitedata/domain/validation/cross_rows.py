"""Rules across rows, with small state: R6 (one kind per licence), R7 (a station's rows sit
together), the per-licence tallies and the server's licence check, once per licence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .findings import Code, Finding, LicenceTally, cell_finding
from .spec import by_key

LicenceCheck = Callable[[str], Finding | None]
StationKey = tuple[str, str, str, str]
STATION = "station rows"
_LICENCE = by_key()["licence_number"]
_LOCATION = by_key()["station_location"]


def _joined(key: StationKey) -> str:
    return "\x00".join(key)  # NUL never occurs in an accepted file (F1), so no collisions


class CrossRows:
    """Remembers a kind and a first line per licence, the current station and the finished
    stations (as keys of A, F, L, M): a few hundred bytes per station, never the rows."""

    def __init__(self, licence_check: LicenceCheck | None) -> None:
        self.tallies: dict[str, LicenceTally] = {}
        self._kinds: dict[str, tuple[str, int]] = {}
        self._reported: set[str] = set()
        self.current: StationKey | None = None
        self._current_joined = ""
        self.current_tally = LicenceTally("", None)
        self._finished: set[str] = set()  # keys joined: a quarter of the memory of tuples
        self._licence_check = licence_check

    def station(self, licence: str, key: StationKey, line: int) -> list[Finding] | None:
        """Record a station row; its cross-row errors, or None."""
        current = self.current
        if key == current:  # the next row of the same station: the common case
            self.current_tally.rows += 1
            return None
        joined = _joined(key)
        if current is not None and current[0] == licence and joined not in self._finished:
            self._finished.add(self._current_joined)  # the next station of the same licence
            self.current, self._current_joined = key, joined
            self.current_tally.rows += 1
            self.current_tally.stations += 1
            return None
        return self._new_station(licence, key, line)

    def _new_station(self, licence: str, key: StationKey, line: int) -> list[Finding] | None:
        tally = self.tallies.get(licence)
        errors = self._first_sight(licence, STATION, line) if tally is None else None
        if tally is None:
            tally = self.tallies[licence] = LicenceTally(licence, None)
        elif self._kinds[licence][0] != STATION:
            errors = self._conflict(licence, STATION, line)
            tally.special = None
        tally.rows += 1
        if key != self.current:
            if _joined(key) in self._finished:
                errors = (errors or []) + [self._reappears(key, line)]
            else:
                if self.current is not None:
                    self._finished.add(self._current_joined)
                self.current, self.current_tally = key, tally
                self._current_joined = _joined(key)
                tally.stations += 1
        return errors

    def special(self, licence: str, keyword: str, line: int) -> list[Finding] | None:
        """Record a NOSTATIONS or NOCHANGE row; its cross-row errors, or None."""
        tally = self.tallies.get(licence)
        if tally is None:
            self.tallies[licence] = LicenceTally(licence, keyword, rows=1)
            return self._first_sight(licence, keyword, line)
        tally.rows += 1
        if self._kinds[licence][0] != keyword:
            return self._conflict(licence, keyword, line)
        return None

    def _first_sight(self, licence: str, kind: str, line: int) -> list[Finding] | None:
        self._kinds[licence] = (kind, line)
        if self._licence_check is None or not _LICENCE.pattern or not _LICENCE.pattern.fullmatch(
            licence
        ):
            return None
        finding = self._licence_check(licence)
        if finding is None:
            return None
        return [replace(finding, line=line, column=_LICENCE.letter,
                        column_name=_LICENCE.name, value=licence[:100])]

    def _conflict(self, licence: str, kind: str, line: int) -> list[Finding] | None:
        if licence in self._reported:
            return None
        self._reported.add(licence)
        first_kind, first_line = self._kinds[licence]
        if STATION in (kind, first_kind):
            code = Code.R6_MIXED
            how = ("a licence has either station rows or one special row: keep the station rows, "
                   "or keep the special row alone")
        else:
            code = Code.R6_KEYWORDS
            how = "use one special keyword per licence"
        return [cell_finding(
            line, _LICENCE, licence, code,
            f"Licence {licence} has {first_kind} (first on line {first_line}) and "
            f"{'station rows' if kind == STATION else kind} here: {how}.",
        )]

    def _reappears(self, key: StationKey, line: int) -> Finding:
        return cell_finding(
            line, _LOCATION, key[1], Code.R7_ORDER,
            f"The rows of station '{key[1][:40]}' ({key[2]}, {key[3]}) of licence {key[0]} must "
            "sit next to each other: move this row up to the station's other rows.",
        )
