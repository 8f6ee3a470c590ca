"""CSV and Parquet writers for public downloads (cells are neutralised for spreadsheets)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

RISKY = ("=", "+", "-", "@", "\t", "\r")
# a plain number (a negative longitude, "-75.69"): a spreadsheet reads it as a number, never
# as a formula, so it is left alone (OWASP CSV injection)
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading quote.
    Numbers (a negative longitude) are written as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float, Decimal)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(RISKY) and not NUMBER.fullmatch(text) else text


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([cell(v) for v in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def parquet_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """One Parquet file; column types are inferred by pyarrow (dates stay dates)."""
    import pyarrow as pa  # 40 MB: only the processes that answer a Parquet snapshot load it
    import pyarrow.parquet as pq

    columns = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    table = pa.table(columns) if rows else pa.table({name: pa.array([], pa.string())
                                                     for name in header})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
