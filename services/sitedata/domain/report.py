"""The downloadable error report: CSV that a spreadsheet can never execute."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

HEADER = ("line", "column", "column_name", "value", "code", "message")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    """A cell that starts like a formula gets a leading apostrophe, so it stays text."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_START) else text


def error_csv(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The header, then one line per finding, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
