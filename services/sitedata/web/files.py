"""The files a licensee downloads before uploading: the blank 54-column template, an example
file, and each column's format explained from the rule book (``column_spec()``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from services.sitedata.domain.validation.spec import Column, column_spec

EXAMPLE_CONTACT = ["Jane Doe", "613-555-0100", "jane.doe@example.ca"]


def _csv(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def header() -> list[str]:
    """Column titles (the validator reads a first record whose column A is not digits as a
    header and never checks its titles)."""
    return [f"{c.letter} {c.name}" for c in column_spec()]


def template_csv() -> str:
    return _csv([header()])


def _station(licence: str, location: str, lat: str, azimuth: str) -> list[str]:
    return [licence, "REF-1", *EXAMPLE_CONTACT, location,
            "FX", "LTE", "302-720-12345678", "101", "ON", lat, "-75.6972", "O", "30", "T",
            "2024-11-15", f"SITE-{location}", "1935.5", "1855.5",
            "RRU-4478", "RRU-4478", "Ericsson", "Ericsson", "12345A-RRU4478", "12345A-RRU4478",
            "20", "W7D", "46", "100", "NAU", "NAU", "4", "4", "AIR-3246", "AIR-3246",
            "CommScope", "CommScope", "28.5", "28.5", "D", "D", "65.0", "65.0", "7.0", "7.0",
            azimuth, azimuth, "-2", "-2", "17.5", "17.5", "0.5", "0.5"]


def example_csv(licence: str = "010898101") -> str:
    """Two sectors of one LTE site, and a licence with no stations (NOSTATIONS)."""
    rows = [header(), _station(licence, "Tower A", "45.4215", "120.0"),
            _station(licence, "Tower A", "45.4215", "240.0"),
            ["010898102", "", *EXAMPLE_CONTACT, "NOSTATIONS"] + [""] * 48]
    return _csv(rows)


@dataclass(frozen=True)
class ColumnHelp:
    """A column explained: ``rules`` are (catalogue key, params) pairs the page translates."""

    letter: str
    name: str
    needed: str
    rules: list[tuple[str, dict[str, object]]]
    note: str | None


def _rules(column: Column) -> list[tuple[str, dict[str, object]]]:
    rules: list[tuple[str, dict[str, object]]] = [(f"sitedata.kind.{column.kind}", {})]
    if column.min_len is not None and column.max_len is not None:
        rules.append(("sitedata.rule.length", {"low": column.min_len, "high": column.max_len}))
    elif column.max_len is not None:
        rules.append(("sitedata.rule.max_len", {"high": column.max_len}))
    if column.low is not None and column.high is not None:
        rules.append(("sitedata.rule.range", {"low": column.low, "high": column.high}))
    if column.gt is not None:
        rules.append(("sitedata.rule.gt", {"low": column.gt}))
    if column.codes:
        rules.append(("sitedata.rule.codes", {"codes": ", ".join(column.codes)}))
    if column.caps:
        rules.append(("sitedata.rule.caps", {}))
    if column.pattern is not None:
        rules.append(("sitedata.rule.pattern", {"pattern": column.pattern.pattern}))
    return rules


def column_help() -> list[ColumnHelp]:
    return [ColumnHelp(c.letter, c.name, c.needed_when, _rules(c), c.note)
            for c in column_spec()]
