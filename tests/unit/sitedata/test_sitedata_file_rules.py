"""File rules F1-F7, the header, the encoding warning, the cap and the streaming contract."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from sitedata_kit import LICENCE, TODAY, check, codes, sample_row, special_row, to_csv

from services.sitedata.domain.validation import (
    ERROR_CAP,
    MAX_BYTES,
    ParsedRow,
    check_filename,
    sniff_kind,
    validate,
)

VALID = to_csv([sample_row()])


# F1 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["site.csv", "SITE.CSV", "uploads/May.Csv", r"C:\data\x.csv"])
def test_f1_csv_names_pass(name: str) -> None:
    assert check_filename(name) is None
    assert check(VALID, filename=name).valid


@pytest.mark.parametrize("name", ["site.xlsx", "site.txt", "site", "site.csv.zip", ".csv"])
def test_f1_other_names_are_refused(name: str) -> None:
    finding = check_filename(name)
    assert finding is not None and finding.code == "SD-F1-NAME"
    outcome = check(VALID, filename=name)
    assert codes(outcome.errors) == [(None, None, "SD-F1-NAME")]


def test_f1_xlsx_name_says_what_the_seed_says() -> None:
    finding = check_filename("data.xlsx")
    assert finding is not None
    assert "file saved as .xlsx - submitted files must be .csv" in finding.message


@pytest.mark.parametrize(
    ("head", "word"),
    [(b"PK\x03\x04\x14\x00\x06\x00", ".xlsx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
     (b"%PDF-1.7\n", "PDF"), (b"\xff\xfea\x00,\x00", "UTF-16"), (b"abc\x00def,", "NUL")],
)
def test_f1_binary_kinds_are_refused_before_anything_else(head: bytes, word: str) -> None:
    finding = sniff_kind(head)
    assert finding is not None and finding.code == "SD-F1-KIND" and word in finding.message
    outcome = check(head + VALID)
    assert codes(outcome.errors) == [(None, None, "SD-F1-KIND")]
    assert outcome.records == 0 and outcome.warnings == []


def test_f1_text_passes_the_sniff() -> None:
    assert sniff_kind(VALID[:8]) is None
    assert sniff_kind(b"") is None


def test_f1_nul_bytes_late_in_the_file_refuse_it() -> None:
    outcome = check(VALID + b"\x00" + VALID)
    assert codes(outcome.errors) == [(None, None, "SD-F1-KIND")]


# F2 ---------------------------------------------------------------------------------------

def _endless_valid_rows(taken: list[int]) -> Iterator[bytes]:
    block = to_csv([sample_row()] * 3000, header=False)
    yield to_csv([])
    while True:
        taken[0] += len(block)
        yield block


def test_f2_more_than_60_mb_is_refused_and_reading_stops() -> None:
    taken = [0]
    outcome = validate(_endless_valid_rows(taken), filename="big.csv", today=TODAY)
    assert codes(outcome.errors) == [(None, None, "SD-F2-SIZE")]
    assert "Append" in outcome.errors[0].message
    assert MAX_BYTES < outcome.size < MAX_BYTES + 2 * 1024 * 1024
    assert taken[0] < MAX_BYTES + 2 * 1024 * 1024


def test_f2_size_and_sha256_describe_the_bytes_read() -> None:
    outcome = check(VALID)
    assert outcome.valid
    assert outcome.size == len(VALID)
    assert outcome.sha256 == hashlib.sha256(VALID).hexdigest()


# F3 ---------------------------------------------------------------------------------------

def test_f3_utf8_with_or_without_bom_reads_without_warning() -> None:
    for data in (VALID, b"\xef\xbb\xbf" + VALID):
        outcome = check(data)
        assert outcome.valid and outcome.warnings == [] and outcome.encoding == "utf-8"


def test_f3_windows_1252_is_read_with_a_warning() -> None:
    rows: list[ParsedRow] = []
    data = to_csv([sample_row(C="Ren\u00e9 C\u00f4t\u00e9")]).decode("utf-8").encode("cp1252")
    outcome = check(data, on_row=rows.append)
    assert outcome.valid
    assert outcome.encoding == "windows-1252"
    assert codes(outcome.warnings) == [(None, None, "SD-F3-CP1252")]
    assert rows[0].fields[2] == "Ren\u00e9 C\u00f4t\u00e9"


# F4 ---------------------------------------------------------------------------------------

def test_f4_quote_left_open_is_an_error_where_the_record_starts() -> None:
    broken = sample_row()
    data = to_csv([sample_row()]) + b'010898101,"oops,' + b",".join(
        v.encode() for v in broken[2:]) + b"\r\n" + to_csv([sample_row(G="fx")], header=False)
    outcome = check(data)
    assert codes(outcome.errors) == [(3, None, "SD-F4-QUOTE"), (4, "G", "SD-R4-CAPS")]


def test_f4_text_after_a_closing_quote_is_an_error() -> None:
    row = to_csv([sample_row()], header=False).replace(b"010898101,", b'010898101,"ref"x,', 1)
    outcome = check(to_csv([]) + row)
    assert (2, None, "SD-F4-QUOTE") in codes(outcome.errors)


def test_f4_rfc4180_quoting_passes() -> None:
    row = sample_row(F='MAPLE "NORTH", RD 7', E="a@example.ca, b@example.ca", C="Line\nTwo")
    outcome = check([row, sample_row(F="NEXT")])
    assert outcome.valid, outcome.errors
    assert outcome.records == 2


@pytest.mark.parametrize("newline", [b"\n", b"\r"])
def test_f4_lf_and_cr_line_ends_read_like_crlf(newline: bytes) -> None:
    data = to_csv([sample_row(), sample_row(F="B", G="fx")]).replace(b"\r\n", newline)
    assert codes(check(data).errors) == [(3, "G", "SD-R4-CAPS")]
    assert check(data.rstrip(newline)).records == 2  # no line end after the last record


def test_f4_lines_are_counted_across_a_multi_line_record() -> None:
    outcome = check([sample_row(C="One\nTwo\nThree"), sample_row(F="B", G="fx")])
    assert codes(outcome.errors) == [(5, "G", "SD-R4-CAPS")]


# F5 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("count", [53, 55])
def test_f5_records_need_exactly_54_fields(count: int) -> None:
    row = (sample_row() + [""])[:count]
    outcome = check([row])
    assert codes(outcome.errors) == [(2, None, "SD-F5-FIELDS")]
    assert f"found {count}" in outcome.errors[0].message


def test_f5_an_unquoted_comma_in_a_number_gives_55_fields() -> None:
    outcome = check(to_csv([]) + to_csv([sample_row()], header=False).replace(b",45.0,", b",4,5,"))
    assert codes(outcome.errors) == [(2, None, "SD-F5-FIELDS")]


def test_f5_the_header_needs_54_fields_too() -> None:
    outcome = check(b"Licence,Name\r\n" + to_csv([sample_row()], header=False))
    assert codes(outcome.errors) == [(1, None, "SD-F5-FIELDS")]


# F6 ---------------------------------------------------------------------------------------

def test_f6_header_is_detected_and_never_checked_by_title() -> None:
    odd_titles = [f"col {i}" for i in range(54)]
    outcome = check(to_csv([odd_titles], header=False) + to_csv([sample_row(G="fx")], False))
    assert outcome.records == 1
    assert codes(outcome.errors) == [(2, "G", "SD-R4-CAPS")]


def test_f6_a_file_without_header_starts_with_data_on_line_1() -> None:
    outcome = check([sample_row(G="fx"), sample_row()], header=False)
    assert outcome.records == 2
    assert codes(outcome.errors) == [(1, "G", "SD-R4-CAPS")]


def test_f6_a_first_row_that_looks_like_data_is_a_header_with_a_warning() -> None:
    outcome = check([sample_row(A="010898101-001"), sample_row()], header=False)
    assert outcome.valid and outcome.records == 1
    assert codes(outcome.warnings) == [(1, None, "SD-F6-HEADER")]


# F7 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", to_csv([])])
def test_f7_no_data_record_is_an_error(data: bytes) -> None:
    outcome = check(data)
    assert codes(outcome.errors) == [(None, None, "SD-F7-EMPTY")]
    assert outcome.records == 0


def test_f7_empty_lines_are_skipped_but_counted_as_lines() -> None:
    data = to_csv([]) + b"\r\n\n" + to_csv([sample_row(G="fx")], header=False) + b"\r\n"
    outcome = check(data)
    assert outcome.records == 1
    assert codes(outcome.errors) == [(4, "G", "SD-R4-CAPS")]


def test_f7_a_line_of_commas_alone_is_skipped_with_a_warning() -> None:
    outcome = check([[""] * 54, sample_row()])
    assert outcome.valid and outcome.records == 1
    assert codes(outcome.warnings) == [(2, None, "SD-F7-BLANK-ROW")]


# The cap and the stream -------------------------------------------------------------------

def test_every_error_is_counted_but_the_report_is_capped() -> None:
    rows = [sample_row(G="fx", AU="0")] * (ERROR_CAP // 2 + 10)
    outcome = check(rows)
    assert outcome.error_count == 2 * len(rows)
    assert outcome.capped and len(outcome.errors) == ERROR_CAP
    assert outcome.errors[0].code == "SD-CAPPED" and outcome.errors[0].line is None
    assert f"{outcome.error_count:,}" in outcome.errors[0].message
    assert [f.line for f in outcome.errors[1:]] == sorted(f.line or 0 for f in outcome.errors[1:])


def test_below_the_cap_nothing_is_capped() -> None:
    outcome = check([sample_row(G="fx")] * 20)
    assert not outcome.capped and outcome.error_count == len(outcome.errors) == 20


def test_chunk_boundaries_do_not_change_the_outcome() -> None:
    rows = [sample_row(C="Ren\u00e9"), sample_row(F="B", G="fx"),
            special_row("020000001", "NOCHANGE")]
    whole = check(rows)
    for size in (1, 2, 3, 7, 64):
        split = check(rows, chunk=size)
        assert codes(split.errors) == codes(whole.errors)
        assert split.records == whole.records == 3
        assert split.sha256 == whole.sha256


def test_licences_are_tallied() -> None:
    rows = [sample_row(), sample_row(AU="240"), sample_row(F="OTHER"),
            special_row("020000001", "NOSTATIONS"), special_row("030000001", "NOCHANGES")]
    outcome = check(rows)
    tallies = {k: (t.special, t.rows, t.stations) for k, t in outcome.licences.items()}
    assert tallies == {LICENCE: (None, 3, 2), "020000001": ("NOSTATIONS", 1, 0),
                       "030000001": ("NOCHANGE", 1, 0)}
