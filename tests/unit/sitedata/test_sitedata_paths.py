"""The quick ways through the validator never change what it decides: reading in blocks gives
the lines readline gave, and whole files (every shape: quoted where needed or every field
quoted, CR LF / LF / CR / mixed, a BOM, Windows-1252, stray quotes, values with commas,
doubled quotes and line breaks) give the same Outcome and hand the sink the same rows through
the station blocks, line by line, and through the detailed checker alone."""

from __future__ import annotations

import csv
import functools
import io
import random
import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitedata_kit import TODAY

from benchmarks.gen_sitedata import HEADER, SHAPES, Shape, accented, formatted, rows, special_row
from services.sitedata.domain.validation import (
    COLUMNS,
    Code,
    Finding,
    Outcome,
    ParsedRow,
    engine,
    records,
    validate,
)
from services.sitedata.domain.validation.block_path import BlockPath, block_path
from services.sitedata.domain.validation.fast_path import FastPath, fast_path
from services.sitedata.domain.validation.reading import (
    FALLBACK_ERRORS,
    LINE_LIMIT,
    Meter,
    Source,
    counting_fallbacks,
    decoded_blocks,
)

# Reading ----------------------------------------------------------------------------------

PIECES = st.sampled_from([
    b"a", b"xyz", b"0123456789", b",", b'"', b"\r", b"\n", b"\r\n", b"\r\r\n", b"\n\r",
    "é".encode(), "Île".encode(), b"\xe9", b"\xc9t\xe9", b"\x81", b"\xe2\x82", b"\xf0\x9f",
    b"\x0b", b"\x0c", b"\x1c", b"\x1e", "\x85".encode(), "\u2028".encode(), b" ", b"\t",
])

def readline_lines(data: bytes, limit: int) -> list[str]:
    """What the engine read before: readline(limit) on a text stream with newline=""."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors=FALLBACK_ERRORS,
                            newline="")
    return list(iter(functools.partial(text.readline, limit), ""))


def source_lines(data: bytes, limit: int, chunk: int) -> list[str]:
    chunks = [data[i : i + chunk] for i in range(0, len(data), chunk)]
    return list(Source(decoded_blocks(iter(chunks), Meter(), limit), limit))


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60), st.booleans(), st.integers(1, 12),
       st.integers(1, 40))
def test_lines_are_those_readline_returned(pieces: list[bytes], bom: bool, limit: int,
                                           chunk: int) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join(pieces)
    with counting_fallbacks() as new_hits:
        new = source_lines(data, limit, chunk)
    with counting_fallbacks() as old_hits:
        old = readline_lines(data, limit)
    assert new == old
    assert bool(new_hits[0]) == bool(old_hits[0])


@pytest.mark.parametrize("length", [LINE_LIMIT - 2, LINE_LIMIT - 1, LINE_LIMIT, LINE_LIMIT + 1,
                                    2 * LINE_LIMIT + 3])
@pytest.mark.parametrize("end", [b"\r\n", b"\n", b"\r", b""])
def test_long_lines_are_cut_as_readline_cut_them(length: int, end: bytes) -> None:
    data = b"ab\r\n" + b"x" * length + end + b"cd\n"
    for chunk in (7, 65536, 1 << 20):
        assert source_lines(data, LINE_LIMIT, chunk) == readline_lines(data, LINE_LIMIT)


def test_pushed_back_lines_come_first() -> None:
    source = Source(iter(["a\nb\n", "c\n"]))
    assert next(source) == "a\n"
    source.push_back(["x\n", "y\n"])
    assert list(source) == ["x\n", "y\n", "b\n", "c\n"]


# Whole files ------------------------------------------------------------------------------

VALUES = st.sampled_from([
    "", " ", "0", "-0", "1", "45.5", "90.01", "-141", "359.9", "360", "600", "605", "-3",
    "1007", "504", "4.0", "3,14", "FX", "fx", "TC", "LTE", "GSM", "U", "O", "D", "N", "AAS",
    "ON", "2024-02-29", "2026-11-06", "a@b.ca", "a@b.ca,c@d.ca", "NOCHANGE", "x" * 70,
    " Olivia", "Olivia ", "302720-51234-101", "AB-CD-EF", "Q\xe9bec", "MAPLE, NORTH",
    '12" DISH', 'say "hi"', "Line\nTwo", "Line\r\nTwo", "C\rD", '"', ",", "\x1f", "\x0b",
])
EDITS = st.lists(st.tuples(st.sampled_from(["set", "copy", "future", "blank", "short",
                                            "special", "quote", "cut"]),
                           st.integers(0, 10_000), st.integers(0, 53), VALUES),
                 max_size=6)
SHAPE = st.fixed_dictionaries({
    "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    "newline": st.sampled_from(["\r\n", "\n", "\r", "mixed"]),
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    "header": st.booleans(),
    "final_newline": st.booleans(),
})


def _edit(table: list[list[str]], edits: list[tuple[str, int, int, str]]) -> None:
    for kind, at, column, value in edits:
        i = at % len(table)
        if kind == "set":
            table[i][column % len(table[i])] = value
        elif kind == "copy":  # a station's row again, elsewhere (R7)
            table.insert((at // 7) % (len(table) + 1), list(table[i]))
        elif kind == "future":  # the first row of a station refused by Python's date check
            table[i][COLUMNS.index("Q")] = "2026-11-06"
        elif kind == "blank":
            table.insert(i, [""] * 54)
        elif kind == "short":
            table[i] = table[i][:53]
        elif kind == "special":
            table.insert(i, special_row(table[i][0], value if value == "NOCHANGE" else
                                        "NOSTATIONS"))


def _write(table: list[list[str]], shape: dict[str, object], edits: list[tuple[str, int, int,
                                                                                str]]) -> bytes:
    rng = random.Random(len(table))
    text = ""
    for row in ([HEADER] if shape["header"] else []) + table:
        newline = str(shape["newline"])
        if newline == "mixed":
            newline = rng.choice(["\r\n", "\n", "\r"])
        text += formatted([row], Shape(quoting=int(str(shape["quoting"])), newline=newline))
    for kind, at, _column, _value in edits:
        if kind == "quote":  # a stray quote anywhere (F4)
            text = text[: at % (len(text) + 1)] + '"' + text[at % (len(text) + 1) :]
        elif kind == "cut":
            text = text[: len(text) - at % 40]
    if not shape["final_newline"]:
        text = text.rstrip("\r\n")
    return text.encode(str(shape["encoding"]), errors="replace")


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def line(self, line: int, licence: str, body: str) -> None:
        self.calls.append(("line", line, licence, body))

    def row(self, row: ParsedRow) -> None:
        self.calls.append(("row", row.line, row.licence, row.special, row.fields))

    def stop(self) -> None:
        self.calls.append(("stop",))


def _licence_check(number: str) -> Finding | None:
    if number.endswith("7"):
        return Finding(None, None, None, None, Code.LICENCE_NOT_LISTED, "Not on the registry.")
    return None


def _run(data: bytes, chunk: int) -> tuple[Outcome, list[tuple[object, ...]]]:
    sink = Recorder()
    chunks: Iterator[bytes] = (data[i : i + chunk] for i in range(0, len(data), chunk))
    outcome = validate(chunks, filename="site.csv", today=TODAY, licence_check=_licence_check,
                       sink=sink)
    return outcome, sink.calls


def _normal(calls: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Sink calls as (line, licence, special, fields), whichever method took the row."""
    out: list[tuple[object, ...]] = []
    for call in calls:
        if call[0] == "line":
            out.append((call[1], call[2], None, tuple(str(call[3]).split(","))))
        elif call[0] == "row":
            out.append(call[1:])
        else:
            out.append(call)
    return out


NEVER = re.compile("(?!)")


def _no_blocks(sep: str, mixed: bool = False) -> BlockPath:
    return replace(block_path(sep, mixed), common=NEVER, general=NEVER)


def _no_fast_path(sep: str, mixed: bool = False) -> FastPath:
    return replace(fast_path(sep, mixed), common=NEVER, station=NEVER, special=NEVER)


@settings(max_examples=250, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(st.integers(1, 10_000), st.integers(2, 30), SHAPE, EDITS, st.sampled_from([7, 64, 4096]))
def test_blocks_lines_and_the_detailed_checker_agree_on_any_file(
    monkeypatch: pytest.MonkeyPatch, seed: int, count: int, shape: dict[str, object],
    edits: list[tuple[str, int, int, str]], chunk: int,
) -> None:
    table = [accented(row) for row in rows(count, seed)]
    _edit(table, edits)
    data = _write(table, shape, edits)
    fast, fast_calls = _run(data, chunk)
    with monkeypatch.context() as patch:
        patch.setattr(engine, "block_path", _no_blocks)
        lines, line_calls = _run(data, chunk)
        patch.setattr(engine, "fast_path", _no_fast_path)
        patch.setattr(records, "fast_path", _no_fast_path)
        slow, slow_calls = _run(data, chunk)
    assert fast == lines
    assert fast_calls == line_calls
    assert fast == slow
    assert _normal(fast_calls) == _normal(slow_calls)


def _count_calls(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[int]:
    calls = [0]
    real = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_shape_goes_through_station_blocks(monkeypatch: pytest.MonkeyPatch,
                                                shape: str) -> None:
    form = SHAPES[shape]
    table = [accented(r) for r in rows(400, 3)]
    data = formatted([HEADER, *table], form).encode(form.encoding)
    by_line = _count_calls(monkeypatch, engine._Scan, "_line")
    by_csv = _count_calls(monkeypatch, records.Records, "quoted")
    outcome, calls = _run(data, 1 << 16)
    assert outcome.valid and outcome.records == 400
    assert outcome.encoding == ("windows-1252" if shape == "cp1252" else "utf-8")
    assert [c[1] for c in calls] == list(range(2, 402))
    with_commas = sum(1 for row in table if any("," in value for value in row))
    assert by_line[0] == 1 + with_commas  # the header, and rows csv must split
    assert by_csv[0] == with_commas + (form.quoting != csv.QUOTE_MINIMAL)  # + a quoted header


def test_a_station_longer_than_the_line_limit_is_read_line_by_line() -> None:
    row = next(rows(1, 5))
    many = [list(row) for _ in range(LINE_LIMIT // 300 + 20)]
    many[-1][COLUMNS.index("G")] = "fx"  # an error on the last row
    data = _write(many, {"quoting": csv.QUOTE_MINIMAL, "newline": "\r\n",
                         "encoding": "utf-8", "header": True, "final_newline": True}, [])
    assert len(data) > LINE_LIMIT
    outcome, calls = _run(data, 4096)
    assert outcome.records == len(many)
    assert [(f.line, f.code) for f in outcome.errors] == [(len(many) + 1, Code.R4_CAPS)]
    assert calls[-1] == ("stop",) and len(calls) == len(many)


def test_a_line_past_the_limit_counts_as_its_pieces() -> None:
    table = [next(rows(1, 5))]
    head = _write(table, {"quoting": csv.QUOTE_MINIMAL, "newline": "\r\n",
                          "encoding": "utf-8", "header": True, "final_newline": True}, [])
    bad = list(table[0])
    bad[COLUMNS.index("G")] = "fx"
    tail = _write([bad], {"quoting": csv.QUOTE_MINIMAL, "newline": "\r\n",
                          "encoding": "utf-8", "header": False, "final_newline": True}, [])
    data = head + b"x" * (LINE_LIMIT + 10) + b"\r\n" + tail
    outcome, _ = _run(data, 4096)
    # line 3 is read as two pieces (lines 3 and 4), as readline(64 K) read it: the row with
    # the error is line 5
    assert [(f.line, f.code) for f in outcome.errors] == [
        (3, Code.F5_FIELDS), (4, Code.F5_FIELDS), (5, Code.R4_CAPS)]
