"""The ISED operations dashboard: running aggregates as plain functions.

The same fold (``Tally.add``) runs in the embedded consumer and in the faust agent of the real
stack (``services/reports/streaming.py``); reading a figure never depends on where it was kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

PERCENTILES = (50, 90, 95, 99)


@dataclass(frozen=True)
class UploadFacts:
    """What the dashboard keeps of one finished upload."""

    upload_id: str
    day: str
    status: str
    seconds: float
    error_codes: dict[str, int]


@dataclass(frozen=True)
class DayFigures:
    """One day of the dashboard as it is stored: uploads per status, processing seconds,
    error-code counts. The reports API reads these rows whichever process folded them."""

    day: str
    counts: dict[str, int]
    seconds: list[float]
    error_codes: dict[str, int]


@dataclass
class Tally:
    """Uploads per ``day|status``, processing seconds per day and error codes per ``day|code``.

    The mappings may be plain dicts (embedded) or faust tables (real stack): every update is
    an assignment, never an in-place change, so a faust table records it in its changelog."""

    per_day: MutableMapping[str, int] = field(default_factory=dict)
    seconds: MutableMapping[str, list[float]] = field(default_factory=dict)
    error_codes: MutableMapping[str, int] = field(default_factory=dict)
    seen: MutableMapping[str, bool] = field(default_factory=dict)

    def add(self, facts: UploadFacts) -> bool:
        """Fold one upload in; a repeated upload id changes nothing (returns False)."""
        if self.seen.get(facts.upload_id):
            return False
        self.seen[facts.upload_id] = True
        key = day_key(facts.day, facts.status)
        self.per_day[key] = self.per_day.get(key, 0) + 1
        self.seconds[facts.day] = [*self.seconds.get(facts.day, []), max(0.0, facts.seconds)]
        for code, count in facts.error_codes.items():
            code_key = day_key(facts.day, code)
            self.error_codes[code_key] = self.error_codes.get(code_key, 0) + count
        return True

    def uploads(self) -> int:
        return sum(self.per_day.values())

    def by_day(self) -> list[tuple[str, str, int]]:
        return sorted((*split_key(k), n) for k, n in self.per_day.items())

    def percentiles(self) -> dict[str, float]:
        return percentiles([s for day in self.seconds.values() for s in day])

    def top_errors(self, n: int = 10) -> list[tuple[str, int]]:
        totals: dict[str, int] = {}
        for key, count in self.error_codes.items():
            code = split_key(key)[1]
            totals[code] = totals.get(code, 0) + count
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def day(self, day: str) -> DayFigures:
        """The figures of one day, as they are stored."""
        return DayFigures(day, _of_day(self.per_day, day), list(self.seconds.get(day, [])),
                          _of_day(self.error_codes, day))

    @classmethod
    def of_days(cls, days: Iterable[DayFigures]) -> Tally:
        """The tally over stored days (a dashboard window)."""
        tally = cls()
        for figures in days:
            for status, n in figures.counts.items():
                tally.per_day[day_key(figures.day, status)] = n
            tally.seconds[figures.day] = list(figures.seconds)
            for code, n in figures.error_codes.items():
                tally.error_codes[day_key(figures.day, code)] = n
        return tally


def _of_day(mapping: MutableMapping[str, int], day: str) -> dict[str, int]:
    prefix = f"{day}|"
    return {key[len(prefix):]: n for key, n in mapping.items() if key.startswith(prefix)}


def day_key(day: str, status: str) -> str:
    return f"{day}|{status}"


def split_key(key: str) -> tuple[str, str]:
    day, _, status = key.partition("|")
    return day, status


def percentiles(values: list[float], wanted: tuple[int, ...] = PERCENTILES) -> dict[str, float]:
    """Nearest-rank percentiles (``p50`` ...); empty input gives an empty mapping."""
    if not values:
        return {}
    ordered = sorted(values)
    result = {}
    for p in wanted:
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        result[f"p{p}"] = round(ordered[rank - 1], 3)
    return result


@dataclass(frozen=True)
class Pending:
    """An item waiting in a staff queue, measured against its service standard."""

    ref: str
    kind: str
    office: str
    submitted_at: datetime
    standard_days: int
    state: str

    def due_on(self) -> date:
        return (self.submitted_at + timedelta(days=self.standard_days)).date()

    def age_days(self, today: date) -> int:
        return (today - self.submitted_at.date()).days

    def late(self, today: date) -> bool:
        return today > self.due_on()


def standard_summary(items: list[Pending], today: date) -> dict[str, int]:
    late = sum(1 for item in items if item.late(today))
    return {"pending": len(items), "within_standard": len(items) - late, "late": late}
