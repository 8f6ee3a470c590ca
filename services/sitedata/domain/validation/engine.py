"""validate(): stream the bytes, find the records, try the fast paths, fall back to the
detailed checker, apply the cross-row rules and assemble the Outcome.

The engine reads the decoded text in blocks. At a line start it first tries the block path
(``block_path``): one regex call takes a valid station row and the rows of the same station
after it. Any other line is read on its own: a line without a double quote is one record,
matched by the comma-joined fast regexes; so is a line of 54 fields each in quotes with no
quote or comma inside one, matched as it is by the quoted fast regexes. Any other line with a
quote is parsed by the csv module (strict RFC 4180), pulling more lines while a quoted value
stays open. When a record cannot be parsed (F4), its first line is reported and the lines
after it are read again as new records, so one stray quote costs one error and not the rest
of the file. Rows the fast regexes refuse go to the detailed checker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from .block_path import BlockPath, block_path
from .cross_rows import LicenceCheck
from .fast_path import COMMA, QUOTED, fast_path
from .file_rules import check_filename, no_records
from .findings import Outcome, ParsedRow, RowSink
from .reading import Meter, Refused, Source, counting_fallbacks, decoded_blocks
from .records import Records, Rows, fits, plain, plain_rows
from .report import UTF8, WINDOWS_1252, fallback_warning, refused

Values = tuple[str, ...]
Paths = tuple[list[BlockPath], list[BlockPath]]  # for a line without, with a first quote
# The fast paths (separator, mixed) for a line on its own: without quotes, with quotes but
# not first (csv reads it), with a quote first.
_LINE_FAMILIES = (((COMMA, False),), (), ((QUOTED, False), (COMMA, True)))


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
    scan = _Scan(today, licence_check, sink or (Rows(on_row) if on_row else None))
    with counting_fallbacks() as fallbacks:
        try:
            scan.run(Source(decoded_blocks(chunks, meter)))
        except Refused as refusal:
            return refused(refusal.finding, meter.size, meter.sha256)
    return scan.outcome(meter, fallbacks[0])


class _Scan(Records):
    def __init__(
        self, today: date, licence_check: LicenceCheck | None, sink: RowSink | None,
    ) -> None:
        super().__init__(today, licence_check, sink)
        self._long_text, self._long_end = "", 0  # a block past the line limit: read by lines

    def run(self, source: Source) -> None:
        """Station blocks where they match, else one line (one record) at a time."""
        # by a first quote (a valid licence number, 0 first, is text: a spreadsheet that
        # quotes text quotes it); the family that took the last block moves first
        paths = ([block_path(COMMA)], [block_path(QUOTED), block_path(COMMA, mixed=True)])
        while True:
            if self.header_done and not source.pending and source.ready() and \
                    self._block(source, paths):
                continue
            line = next(source, None)
            if line is None:
                return
            self._line(line, source)

    def outcome(self, meter: Meter, fallbacks: int) -> Outcome:
        if self.records == 0:
            self.collector.error(no_records())
        if fallbacks:
            self.collector.warn(fallback_warning())
        return self.collector.outcome(
            self.records, self.cross.tallies, WINDOWS_1252 if fallbacks else UTF8,
            meter.size, meter.sha256,
        )

    def _block(self, source: Source, paths: Paths) -> bool:
        """A station row and the next rows of that station, if a block regex takes them at
        ``source.pos``: the first row is checked as any row is; when it is the current
        station's, the others are the same station's."""
        text, pos = source.text, source.pos
        if pos < self._long_end and text is self._long_text:
            return False
        found = _station_block(text, pos, paths[text[pos] == '"'])
        if found is None:
            return False
        match, path = found
        quoted, end = path.unquote, match.end()
        if end - pos > source.limit:  # each row is shorter, but let lines tell
            self._long_text, self._long_end = text, end
            return False
        self.line_no += 1
        source.pos = match.end(path.eol)
        eol = match.group(path.eol)
        values = match.group(*path.ids)
        rows: list[str] | None = None
        if self.sink is not None:  # every row's values joined with commas: the sink takes them
            rows = plain_rows(text[pos : end - len(eol)], eol, quoted)
            first, quoted = rows[0], False
        else:
            first = match.group(path.body)
        if self._station_row(values, self.line_no, first, quoted):
            self._same_station(values[0], end, eol, rows, source)
        return True

    def _same_station(self, licence: str, end: int, eol: str, rows: list[str] | None,
                      source: Source) -> None:
        """The rows after a block's first row, up to ``end``: the next rows of the current
        station (``rows``: all of the block's, when they go to the sink)."""
        start, source.pos = source.pos, end
        if end == start:
            return
        # a row holds no CR or LF but its line end: count LFs (quicker), or CRs
        more = source.text.count(eol[-1], start, end) if rows is None else len(rows) - 1
        self.cross.current_tally.rows += more
        self.records += more
        if rows is not None and self.sink is not None:
            staged = self.sink.line
            for line, row in enumerate(rows[1:], self.line_no + 1):
                staged(line, licence, row)
        self.line_no += more

    def _line(self, line: str, source: Source) -> None:
        """One line on its own: a record the fast regexes take, or any other."""
        self.line_no += 1
        body = line.rstrip("\r\n")
        quoted = '"' in line
        if self.header_done:
            for sep, mixed in _LINE_FAMILIES[quoted + line.startswith('"')]:
                fast = fast_path(sep, mixed)
                match = fast.common.fullmatch(body) or fast.station.fullmatch(body)
                if match is not None:
                    self._station_row(match.group(*fast.ids), self.line_no, body, quoted)
                    return
        if quoted:
            self.quoted(line, source)
        elif body:
            self.record(body.split(COMMA), self.line_no)

    def _station_row(self, values: Values, line: int, body: str, quoted: bool = False) -> bool:
        """A row a fast regex accepted (``values``: its captured columns; ``body``: its values
        joined with commas, or its text with every field in quotes). Whether it is the current
        station's: not when Python's two checks refuse it or a cross-row rule does."""
        lic, loc, lat, lon, site, structure, day, tx, rx = values
        if day > self.today_iso or not fits(site, structure, tx, rx):
            self.record((plain(body) if quoted else body).split(COMMA), line)
            return False
        key = (lic, loc, lat, lon)
        self.records += 1
        errors = self.cross.station(lic, key, line)
        if errors:
            self.collector.add_errors(errors)
        elif self.sink is not None:
            self.sink.line(line, lic, plain(body) if quoted else body)
        return self.cross.current == key


def _station_block(text: str, pos: int,
                   families: list[BlockPath]) -> tuple[re.Match[str], BlockPath] | None:
    """The first family's block regex that matches at ``pos``; that family moves first."""
    for path in families:
        match = path.common.match(text, pos) or path.general.match(text, pos)
        if match is not None:
            if path is not families[0]:
                families.remove(path)
                families.insert(0, path)
            return match, path
    return None
