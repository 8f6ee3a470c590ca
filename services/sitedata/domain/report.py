"""The downloadable error report: CSV that a spreadsheet can never execute."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

HEADER = ("line", "column", "column_name", "value", "code", "message")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def neutralise(cell: object) -> str:
    """A cell that starts like a formula gets a leading apostrophe, so it stays text.
    Numbers (a negative longitude, a tilt of -2) are written as they are."""
    text = "" if cell is None else str(cell)
    if not text.startswith(_FORMULA_START) or _is_number(text):
        return text
    return "'" + text


def _is_number(text: str) -> bool:
    """A plain decimal number (``-75.6972``, ``-2``); ``+1``, ``-1e9`` or ``-inf`` are not."""
    return _NUMBER.fullmatch(text) is not None


def error_csv(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The header, then one line per finding, every cell neutralised."""
    return safe_csv(HEADER, rows)


def safe_csv(header: Iterable[object] | None, rows: Iterable[Iterable[object]]
             ) -> Iterator[str]:
    """CSV text in pieces of about 64 KB (the header first, unless None), every cell
    neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
