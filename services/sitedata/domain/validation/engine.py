"""validate(): stream the bytes, split records, try the fast path, fall back to the detailed
checker, apply the cross-row rules and assemble the Outcome.

A line without a double quote is one record: it is matched by the comma-joined fast regex
directly. A line with a quote is parsed by the csv module (strict RFC 4180), pulling more
lines while a quoted value stays open. When a record cannot be parsed (F4), its first line is
reported and the lines after it are read again as new records, so one stray quote costs one
error and not the rest of the file.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TextIO

from .cross_rows import CrossRows, LicenceCheck, StationKey
from .fast_path import COMMA, UNIT_SEPARATOR, FastPath, fast_path
from .file_rules import (
    blank_record,
    check_filename,
    field_count,
    header_findings,
    is_header,
    no_records,
    quote_problem,
)
from .findings import Finding, Outcome, ParsedRow, RowSink
from .number_rules import UNDERGROUND, above_structure
from .reading import Meter, Refused, counting_fallbacks, open_text
from .report import UTF8, WINDOWS_1252, Collector, fallback_warning, refused
from .row_rules import check_row
from .spec import FIELD_COUNT, by_key

Matcher = Callable[[str, int], "re.Match[str] | None"]
RECORD_LIMIT = 128 * 1024  # characters one record may span before its quote is called open
LINE_LIMIT = 64 * 1024  # a longer physical line is read in pieces (and is an error anyway)
_K = {key: column.index for key, column in by_key().items()}
LOC, LAT, LON = _K["station_location"], _K["latitude"], _K["longitude"]


def validate(
    chunks: Iterable[bytes],
    *,
    filename: str,
    today: date,
    licence_check: LicenceCheck | None = None,
    on_row: Callable[[ParsedRow], None] | None = None,
    sink: RowSink | None = None,
) -> Outcome:
    """Check a whole upload, streamed as byte chunks, against every file, row and column rule.
    ``on_row`` (or, without building a row object per line, ``sink``) receives, in file
    order, each record that has no error of its own."""
    name_problem = check_filename(filename)
    if name_problem is not None:
        return refused(name_problem)
    meter = Meter()
    scan = _Scan(today, licence_check, sink or (_Rows(on_row) if on_row else None))
    with counting_fallbacks() as fallbacks:
        try:
            with open_text(chunks, meter) as text:
                scan.run(text)
        except Refused as refusal:
            return refused(refusal.finding, meter.size, meter.sha256)
    return scan.outcome(meter, fallbacks[0])


def _fits(site: str, structure: str, tx: str, rx: str) -> bool:
    """R9, left to Python by the fast regex: antenna heights at most 5 m above the structure."""
    if not structure or site == UNDERGROUND:
        return True
    return not ((tx and above_structure(tx, structure)) or (rx and above_structure(rx, structure)))


class _Rows:
    """A sink that hands every record to ``on_row`` as a ParsedRow."""

    def __init__(self, on_row: Callable[[ParsedRow], None]) -> None:
        self.on_row = on_row

    def line(self, line: int, licence: str, body: str) -> None:
        self.on_row(ParsedRow(line, licence, None, tuple(body.split(COMMA))))

    def row(self, row: ParsedRow) -> None:
        self.on_row(row)

    def stop(self) -> None:
        return None


class _Scan:
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
        self.backlog: Iterator[str] = iter(())
        self.joined = fast_path(UNIT_SEPARATOR)

    def run(self, stream: TextIO) -> None:
        # readline with a limit: a file without line ends cannot grow one huge string.
        text = iter(functools.partial(stream.readline, LINE_LIMIT), "")
        lines: Iterator[str] | None = itertools.chain(self.backlog, text)
        while lines is not None:
            lines = self._scan(lines, text)

    def outcome(self, meter: Meter, fallbacks: int) -> Outcome:
        if self.records == 0:
            self.collector.error(no_records())
        if fallbacks:
            self.collector.warn(fallback_warning())
        return self.collector.outcome(
            self.records, self.cross.tallies, WINDOWS_1252 if fallbacks else UTF8,
            meter.size, meter.sha256,
        )

    def _scan(self, lines: Iterator[str], text: Iterator[str]) -> Iterator[str] | None:
        """The hot loop. Returns the lines to go on with after an F4 push-back, else None.

        ``head`` is columns A..H of the last row the common regex accepted: a row that starts
        the same needs only its tail I..BB matched. ``last`` holds the captured values of the
        last row accepted as the current station's: a row with the same values (the usual
        next row of a station) needs no more checks."""
        fast, cross, same, last = fast_path(COMMA), self.cross, 0, None
        common, general = fast.common.fullmatch, fast.station.fullmatch
        ids, tail_ids = fast.ids, fast.tail_ids
        tail: Matcher = common
        head, cut, lic_loc = "\x00", 1, ("", "")  # NUL never starts a line
        line_no, header_done = self.line_no, self.header_done
        staged = self.sink.line if self.sink is not None else None
        try:
            for line in lines:
                line_no += 1
                body, values = line.rstrip("\r\n"), None
                if header_done and '"' not in line:
                    if body.startswith(head) and (match := tail(body, cut)) is not None:
                        values = lic_loc + match.group(*tail_ids)
                    elif (match := common(body)) is not None:
                        values = match.group(*ids)
                        head, cut, tail, lic_loc = self._head(match, body, fast)
                    elif (match := general(body)) is not None:
                        values = match.group(*ids)
                if values is not None:
                    if values == last:
                        cross.current_tally.rows += 1
                        same += 1
                        if staged is not None:
                            staged(line_no, values[0], body)
                    else:
                        last = self._fast_station(values, line_no, body)
                    continue
                last, self.line_no = None, line_no
                if (restart := self._other(line, body, lines, text)) is not None:
                    return restart
                line_no, header_done = self.line_no, self.header_done
            self.line_no = line_no
            return None
        finally:
            self.records += same

    @staticmethod
    def _head(
        match: re.Match[str], body: str, fast: FastPath
    ) -> tuple[str, int, Matcher, tuple[str, str]]:
        cut = match.end(fast.tech_id) + 1
        lic, loc = match.group(fast.ids[0], fast.ids[1])
        return body[:cut], cut, fast.tails[match.group(fast.tech_id)].fullmatch, (lic, loc)

    def _other(
        self, line: str, body: str, lines: Iterator[str], text: Iterator[str]
    ) -> Iterator[str] | None:
        """A line the fast regexes did not take: quoted, header, blank or with errors."""
        if '"' in line:
            return self._quoted(line, lines, text)
        if body:
            self._record(body.split(","), self.line_no)
        return None

    def _fast_station(
        self, values: tuple[str, ...], line: int, body: str
    ) -> tuple[str, ...] | None:
        """A row the fast regex accepted; None when Python's two checks refuse it."""
        lic, loc, lat, lon, site, structure, day, tx, rx = values
        if day > self.today_iso or not _fits(site, structure, tx, rx):
            self._record(body.split(","), line)
            return None
        key = (lic, loc, lat, lon)
        self._accept_station(line, lic, key, body, COMMA)
        return values if self.cross.current == key else None

    def _accept_station(
        self, line: int, licence: str, key: StationKey, joined: str, sep: str
    ) -> None:
        self.records += 1
        errors = self.cross.station(licence, key, line)
        if errors:
            self.collector.add_errors(errors)
        elif self.sink is not None:
            if sep == COMMA:
                self.sink.line(line, licence, joined)
            else:
                self.sink.row(ParsedRow(line, licence, None, tuple(joined.split(sep))))

    def _quoted(
        self, first: str, lines: Iterator[str], text: Iterator[str]
    ) -> Iterator[str] | None:
        """Parse one record that starts with a line holding a quote (it may span lines)."""
        start, taken = self.line_no, [first]
        reader = csv.reader(_record_lines(first, lines, taken), strict=True)
        try:
            fields = next(reader, [])
        except csv.Error as exc:
            self.header_done = True
            self.records += 1
            self.collector.error(quote_problem(start, str(exc)))
            return self._push_back(taken[1:], text)
        self.line_no = start + len(taken) - 1
        self._record(fields, start)
        return None

    def _push_back(self, again: list[str], text: Iterator[str]) -> Iterator[str]:
        self.backlog = iter(again + list(self.backlog))
        return itertools.chain(self.backlog, text)

    def _record(self, fields: list[str], line: int) -> None:
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
            if day <= self.today_iso and _fits(site, structure, tx, rx):
                self._accept_station(line, lic, (lic, loc, lat, lon), joined, UNIT_SEPARATOR)
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
