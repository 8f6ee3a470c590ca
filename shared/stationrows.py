"""Station rows as they are stored and published: one CSV record per station row.

The sitedata service keeps each upload's rows in its ``stations`` table and publishes the
public copy of the same rows as one object per upload (the claim check of
``sitedata.stations.replaced`` version 2). That object is gzip-compressed CSV (RFC 4180,
UTF-8, ``\\n``; about an eighth of the size) with a header line, one line per station row, in
file order, columns ``COLUMNS``:

    upload_id, licence_number, line, location, province, latitude, longitude, technology,
    tx_frequency, rx_frequency, fields

``fields`` holds the row's 54 values (columns A..BB) as one CSV record of their own, with the
contact columns C, D and E blanked: contacts are never public. Empty cells are empty (NULL
for the number and code columns). The layout is what ``COPY ... FROM STDIN (FORMAT csv,
HEADER true)`` reads, so a PostgreSQL consumer loads an upload without a Python loop.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Iterable, Iterator, Sequence

COLUMNS = ("upload_id", "licence_number", "line", "location", "province", "latitude",
           "longitude", "technology", "tx_frequency", "rx_frequency", "fields")
CONTACT_COLUMNS = (2, 3, 4)
GZIP = 31  # zlib's wbits for a gzip stream
# positions (0-based) of the values kept beside ``fields``: A, F, K, L, M, H, S, T
LICENCE, LOCATION, PROVINCE, LATITUDE, LONGITUDE, TECHNOLOGY, TX, RX = (
    0, 5, 10, 11, 12, 7, 18, 19)


def public_key(upload_id: str) -> str:
    """Where the public rows of an upload are stored."""
    return f"public/uploads/{upload_id}.csv.gz"


def encode_fields(values: Sequence[str]) -> str:
    """The 54 values as one CSV record (no line end)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def decode_fields(text: str) -> list[str]:
    """The 54 values of a stored ``fields`` cell (rows stored before version 2 hold JSON)."""
    if text.startswith("["):
        return [str(v) for v in json.loads(text)]
    return next(csv.reader([text]), [])


def blank_contacts(values: Sequence[str]) -> list[str]:
    public = list(values)
    for index in CONTACT_COLUMNS:
        if index < len(public):
            public[index] = ""
    return public


def public_fields_of_line(body: str) -> str:
    """``fields`` of the public copy of a row read from a line without quotes (54 values)."""
    a, b, _c, _d, _e, rest = body.split(",", 5)
    return f"{a},{b},,,,{rest}"


def csv_lines(rows: Sequence[Sequence[object]]) -> bytes:
    """Rows as CSV lines, UTF-8 (None and "" are both empty cells: NULL for COPY)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


class LineWriter:
    """One row at a time as a CSV line, written as ``csv_lines`` writes it."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def line(self, values: Sequence[object]) -> str:
        self._writer.writerow(values)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text


def encode_lines(lines: Sequence[str]) -> bytes:
    """CSV lines made already (``LineWriter``, or directly where no value needs quotes)."""
    return "".join(lines).encode()


def header_line() -> bytes:
    return (",".join(COLUMNS) + "\n").encode()


class Gzipper:
    """Compresses the object as it is written (level 1: fast, the CSV still shrinks ~8x)."""

    def __init__(self) -> None:
        self._zip = zlib.compressobj(1, zlib.DEFLATED, GZIP)
        self.head = self._zip.compress(header_line())

    def compress(self, data: bytes) -> bytes:
        return self._zip.compress(data)

    def finish(self) -> bytes:
        return self._zip.flush()


def gunzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The object's CSV bytes, from its gzip chunks."""
    unzip = zlib.decompressobj(GZIP)
    for chunk in chunks:
        if data := unzip.decompress(chunk):
            yield data
    if rest := unzip.flush():
        yield rest
