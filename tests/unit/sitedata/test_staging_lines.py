"""The rows staged while a file is checked: the CSV lines written directly for COPY and the
public copy are exactly what ``csv.writer`` writes for the same rows, whatever the shape."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from services.sitedata.adapters.rows import Batch, Progress, StagingSink
from services.sitedata.adapters.staging import as_tuples
from services.sitedata.domain.validation import validate
from shared.stationrows import (
    blank_contacts,
    csv_lines,
    decode_fields,
    encode_fields,
    encode_lines,
    gunzipped,
    header_line,
)
from tests.support.sitedata_files import station_row


def _file(rows: list[list[str]], eol: str, quote_all: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=eol,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow([f"Column {n}" for n in range(1, 55)])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _rows() -> list[list[str]]:
    rows = []
    for n in range(7):
        for azimuth in ("120.0", "240.0"):
            rows.append(station_row("010898101", f"Site {n}", lat=f"45.{4215 + n}",
                                    azimuth=azimuth))
    rows[12][5] = rows[13][5] = 'The "Tower", North'  # a quote and a comma: quoted
    return rows


def _staged(data: bytes, encode: Any) -> list[Batch]:
    batches: list[Batch] = []
    sink = StagingSink("upload-1", encode, batches.append, Progress())
    outcome = validate(iter([data]), filename="sites.csv", today=date(2026, 12, 4),
                       licence_check=None, sink=sink)
    sink.flush(last=True)
    assert outcome.valid, outcome
    return batches


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("quote_all", [False, True])
def test_direct_lines_are_what_csv_writer_writes(eol: str, quote_all: bool) -> None:
    data = _file(_rows(), eol, quote_all)
    text = _staged(data, encode_lines)
    tuples = [row for batch in _staged(data, as_tuples) for row in batch.private]
    assert len(tuples) == 14
    assert 'The "Tower", North' in {row[3] for row in tuples}
    assert b"".join(batch.private for batch in text) == csv_lines(tuples)
    public = [(*row[:10], encode_fields(blank_contacts(decode_fields(row[10]))))
              for row in tuples]
    for batches in (text, _staged(data, as_tuples)):
        copy = b"".join(gunzipped(batch.public for batch in batches))
        assert copy == header_line() + csv_lines(public)

