"""Records the fast regexes do not settle: quoted records parsed by the csv module, the
header, blank and short records, rows checked by the joined regexes or the detailed checker,
and what such a record goes through after (the cross-row rules, the sink).

``Records`` is the base of the engine's scan and holds the state every path shares.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date

from .cross_rows import CrossRows, LicenceCheck, StationKey
from .fast_path import COMMA, UNIT_SEPARATOR, fast_path
from .file_rules import blank_record, field_count, header_findings, is_header, quote_problem
from .findings import Finding, ParsedRow, RowSink
from .number_rules import UNDERGROUND, above_structure
from .reading import Source
from .report import Collector
from .row_rules import check_row
from .spec import FIELD_COUNT, by_key

RECORD_LIMIT = 128 * 1024  # characters one record may span before its quote is called open
_K = {key: column.index for key, column in by_key().items()}
LOC, LAT, LON = _K["station_location"], _K["latitude"], _K["longitude"]


def plain(body: str) -> str:
    """The values of a line whose fields are all in quotes and hold no quote or comma (the
    quoted fast regexes accepted it), joined with commas: the line without its quotes."""
    return body.encode().translate(None, b'"').decode()


def plain_rows(rows: str, eol: str, quoted: bool) -> list[str]:
    """Rows the block path accepted, joined by ``eol`` (no other CR or LF in them), as the
    values of each joined with commas. Deleting the quotes and the CR of CR LF in one pass,
    then splitting at LF, is the quickest way here."""
    if not quoted:
        return rows.rsplit(eol)  # rsplit: quicker than split for CR LF
    if eol == "\r\n":
        return rows.encode().translate(None, b'"\r').decode().split("\n")
    return plain(rows).split(eol)


def fits(site: str, structure: str, tx: str, rx: str) -> bool:
    """R9, left to Python by the fast regexes: antenna heights at most 5 m above the
    structure."""
    if not structure or site == UNDERGROUND:
        return True
    return not ((tx and above_structure(tx, structure)) or (rx and above_structure(rx, structure)))


class Rows:
    """A sink that hands every record to ``on_row`` as a ParsedRow."""

    def __init__(self, on_row: Callable[[ParsedRow], None]) -> None:
        self.on_row = on_row

    def line(self, line: int, licence: str, body: str) -> None:
        self.on_row(ParsedRow(line, licence, None, tuple(body.split(COMMA))))

    def row(self, row: ParsedRow) -> None:
        self.on_row(row)

    def stop(self) -> None:
        return None


class Records:
    """The state every path shares, and the paths for records the hot loop hands over."""

    def __init__(
        self, today: date, licence_check: LicenceCheck | None, sink: RowSink | None,
    ) -> None:
        self.today = today
        self.today_iso = today.isoformat()
        self.sink = sink
        self.collector = Collector(sink.stop if sink is not None else None)
        self.cross = CrossRows(licence_check)
        self.records = 0
        self.line_no = 0
        self.header_done = False
        self.joined = fast_path(UNIT_SEPARATOR)

    def _accept_joined(self, line: int, licence: str, key: StationKey, joined: str) -> None:
        """A row of quoted values the joined regex accepted."""
        self.records += 1
        errors = self.cross.station(licence, key, line)
        if errors:
            self.collector.add_errors(errors)
        elif self.sink is not None:
            self.sink.row(ParsedRow(line, licence, None, tuple(joined.split(UNIT_SEPARATOR))))

    def quoted(self, first: str, source: Source) -> None:
        """Parse one record that starts with a line holding a quote (it may span lines).
        After an F4 error the lines after its first are read again as new records."""
        start, taken = self.line_no, [first]
        reader = csv.reader(_record_lines(first, source, taken), strict=True)
        try:
            fields = next(reader, [])
        except csv.Error as exc:
            self.header_done = True
            self.records += 1
            self.collector.error(quote_problem(start, str(exc)))
            source.push_back(taken[1:])
            return
        self.line_no = start + len(taken) - 1
        self.record(fields, start)

    def record(self, fields: list[str], line: int) -> None:
        """The general path: header, blank records, field count, then fast or detailed."""
        if not any(fields):
            self.collector.warn(blank_record(line))
            return
        if not self.header_done:
            self.header_done = True
            if is_header(fields):
                errors, warnings = header_findings(fields, line)
                self.collector.add_errors(errors)
                self.collector.add_warnings(warnings)
                return
        if len(fields) != FIELD_COUNT:
            self.records += 1
            self.collector.error(field_count(len(fields), line))
        elif not self._joined_fast(fields, line):
            self.records += 1
            self._detailed(fields, line)

    def _joined_fast(self, fields: list[str], line: int) -> bool:
        joined = UNIT_SEPARATOR.join(fields)
        match = self.joined.common.fullmatch(joined) or self.joined.station.fullmatch(joined)
        if match is not None:
            lic, loc, lat, lon, site, structure, day, tx, rx = match.group(*self.joined.ids)
            if day <= self.today_iso and fits(site, structure, tx, rx):
                self._accept_joined(line, lic, (lic, loc, lat, lon), joined)
                return True
        elif self.joined.special.fullmatch(joined):
            self.records += 1
            self._settle(fields, line, fields[LOC], [])
            return True
        return False

    def _detailed(self, fields: list[str], line: int) -> None:
        verdict = check_row(fields, line, self.today)
        self.collector.add_warnings(verdict.warnings)
        self._settle(fields, line, verdict.special, verdict.errors)

    def _settle(self, fields: list[str], line: int, special: str | None,
                errors: list[Finding]) -> None:
        """Apply the cross-row rules; hand the row on when it has no error."""
        licence = fields[0]
        if special is None:
            key = (licence, fields[LOC], fields[LAT], fields[LON])
            more = self.cross.station(licence, key, line)
        else:
            more = self.cross.special(licence, special, line)
        errors = errors + (more or [])
        if errors:
            self.collector.add_errors(errors)
        elif self.sink is not None:
            self.sink.row(ParsedRow(line, licence, special, tuple(fields)))


def _record_lines(first: str, lines: Iterator[str], taken: list[str]) -> Iterator[str]:
    """Feed csv the record's first line, then further lines while it asks, up to a limit;
    what was taken stays in ``taken`` so it can be read again after an F4 error."""
    yield first
    size = len(first)
    for line in lines:
        taken.append(line)
        yield line
        size += len(line)
        if size > RECORD_LIMIT:
            return
