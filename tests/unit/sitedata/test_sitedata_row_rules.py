"""Row rules R1-R10: a failing and a passing case for each, and what an error names."""

from __future__ import annotations

import pytest
from sitedata_kit import LICENCE, check, codes, errors_in, sample_row, special_row

from services.sitedata.domain.validation import ParsedRow

CAPS = {"G": "FX", "H": "LTE", "K": "ON", "N": "O", "P": "T", "AE": "AAS", "AF": "NAC",
        "AO": "D", "AP": "N"}


def test_an_error_names_line_column_name_value_code_and_a_fix() -> None:
    outcome = check([sample_row(), sample_row(K="on")])
    (error,) = outcome.errors
    assert (error.line, error.column, error.column_name, error.value, error.code) == (
        3, "K", "Province/Territory code", "on", "SD-R4-CAPS")
    assert "ALL CAPS" in error.message and "ON" in error.message


def test_values_are_cut_to_100_characters() -> None:
    outcome = check([sample_row(C="x" * 300)])
    assert outcome.errors[0].value == "x" * 100


# R1 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("column", "value"), [("C", " Olivia"), ("R", "SR-1 "), ("G", "FX "),
                                               ("L", " 45.5"), ("F", "\tKANATA")])
def test_r1_leading_or_trailing_spaces_are_errors(column: str, value: str) -> None:
    outcome = check([sample_row(**{column: value})])
    assert "SD-R1-SPACES" in errors_in(outcome, column)


def test_r1_spaces_inside_a_value_pass() -> None:
    assert check([sample_row(C="Olivia  Chen", F="KANATA NORTH 7", U="RRU 4478 B66")]).valid


# R2 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("column", "value"), [("AA", "10,000"), ("L", "45,5"), ("AA", "12.5 kHz"),
                                               ("AG", "4 antennas"), ("O", "1e2"), ("L", ".5")])
def test_r2_numbers_with_separators_units_or_other_forms_are_errors(
    column: str, value: str
) -> None:
    outcome = check([sample_row(**{column: value})])
    assert errors_in(outcome, column) == ["SD-R2-NUMBER"]


def test_r2_plain_numbers_pass() -> None:
    assert check([sample_row(AA="10000", AY="3.14", AW="-2", L="045.50")]).valid


# R3 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "code"), [
    ("2024/10/31", "SD-R3-DATE"), ("31-10-2024", "SD-R3-DATE"), ("2023-02-29", "SD-R3-DATE"),
    ("2024-13-01", "SD-R3-DATE"), ("2026-11-06", "SD-R3-FUTURE"),
])
def test_r3_dates_must_be_real_iso_dates_not_after_today(value: str, code: str) -> None:
    outcome = check([sample_row(Q=value)])
    assert errors_in(outcome, "Q") == [code]


@pytest.mark.parametrize("value", ["2026-11-05", "2024-02-29", "1999-12-31"])
def test_r3_real_dates_up_to_today_pass(value: str) -> None:
    assert check([sample_row(Q=value)]).valid


# R4 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("column", "code"), sorted(CAPS.items()))
def test_r4_lower_case_codes_say_all_caps_not_unknown(column: str, code: str) -> None:
    outcome = check([sample_row(**{column: code.lower()})])
    assert errors_in(outcome, column) == ["SD-R4-CAPS"]
    message = next(f.message for f in outcome.errors if f.column == column)
    assert "ALL CAPS" in message and code in message


@pytest.mark.parametrize(("column", "code"), sorted(CAPS.items()))
def test_r4_capital_codes_pass(column: str, code: str) -> None:
    assert check([sample_row(**{column: code})]).valid


def test_r4_an_unknown_code_is_not_a_caps_error() -> None:
    outcome = check([sample_row(H="LTE-A")])
    assert errors_in(outcome, "H") == ["SD-COL-CODE"]


# R5 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("keyword", ["NOSTATIONS", "NOCHANGE", "NOCHANGES"])
def test_r5_special_rows_pass_with_g_to_bb_empty(keyword: str) -> None:
    row = special_row(LICENCE, keyword)
    row[1] = "REF-7"
    assert check([row]).valid


def test_r5_anything_in_g_to_bb_rejects_a_special_row() -> None:
    row = special_row(LICENCE, "NOCHANGE")
    row[7], row[53] = "LTE", "1"
    outcome = check([row])
    assert codes(outcome.errors) == [(2, "H", "SD-R5-SPECIAL")]
    assert "BB" in outcome.errors[0].message


def test_r5_special_rows_still_need_a_to_e() -> None:
    row = special_row("10898101", "NOSTATIONS")
    row[2] = ""
    outcome = check([row])
    assert codes(outcome.errors) == [(2, "A", "SD-COL-PATTERN"), (2, "C", "SD-COL-REQUIRED")]


def test_r5_a_lower_case_keyword_is_read_as_special_with_a_caps_error() -> None:
    outcome = check([special_row(LICENCE, "NoChange")])
    assert codes(outcome.errors) == [(2, "F", "SD-R4-CAPS")]


def test_r5_nochanges_is_read_as_nochange_with_a_warning() -> None:
    staged: list[ParsedRow] = []
    outcome = check([special_row(LICENCE, "NOCHANGES")], on_row=staged.append)
    assert outcome.valid
    assert codes(outcome.warnings) == [(2, "F", "SD-W-NOCHANGES")]
    assert staged[0].special == "NOCHANGE"


# R6 ---------------------------------------------------------------------------------------

def test_r6_special_and_station_rows_for_one_licence_are_an_error() -> None:
    outcome = check([special_row(LICENCE, "NOCHANGE"), sample_row(), sample_row(F="B")])
    assert codes(outcome.errors) == [(3, "A", "SD-R6-MIXED")]


def test_r6_two_different_keywords_for_one_licence_are_an_error() -> None:
    outcome = check([special_row(LICENCE, "NOSTATIONS"), special_row(LICENCE, "NOCHANGE")])
    assert codes(outcome.errors) == [(3, "A", "SD-R6-KEYWORDS")]


def test_r6_nochange_and_nochanges_are_one_keyword() -> None:
    assert check([special_row(LICENCE, "NOCHANGE"), special_row(LICENCE, "NOCHANGES")]).valid


def test_r6_different_licences_may_differ() -> None:
    assert check([special_row("020000001", "NOSTATIONS"), sample_row(),
                  special_row("030000001", "NOCHANGE")]).valid


# R7 ---------------------------------------------------------------------------------------

def test_r7_a_station_that_reappears_is_an_error_on_the_reappearing_row() -> None:
    outcome = check([sample_row(F="A"), sample_row(F="B"), sample_row(F="A", AU="200")])
    assert codes(outcome.errors) == [(4, "F", "SD-R7-ORDER")]


def test_r7_a_station_is_a_licence_location_latitude_and_longitude() -> None:
    rows = [sample_row(F="A"), sample_row(F="A", L="45.1"), sample_row(F="A", AU="90")]
    outcome = check(rows)
    assert codes(outcome.errors) == [(4, "F", "SD-R7-ORDER")]


def test_r7_rows_of_a_station_next_to_each_other_pass() -> None:
    rows = [sample_row(F="A"), sample_row(F="A", AU="240"), sample_row(F="B"),
            sample_row(A="020000001", F="A")]
    outcome = check(rows)
    assert outcome.valid
    assert outcome.licences[LICENCE].stations == 2


# R8 ---------------------------------------------------------------------------------------

def test_r8_a_station_row_needs_a_tx_or_an_rx_frequency() -> None:
    outcome = check([sample_row(S="", T="")])
    assert ("SD-R8-FREQUENCY") in errors_in(outcome, "S")


def _only(side: str) -> dict[str, str]:
    """Empty every column of the other side (Tx columns: S U W Y AC AE AG ...)."""
    tx = ["S", "U", "W", "Y", "AC", "AE", "AG", "AI", "AK", "AM", "AO", "AQ", "AS", "AU", "AW",
          "AY", "BA"]
    rx = ["T", "V", "X", "Z", "AF", "AH", "AJ", "AL", "AN", "AP", "AR", "AT", "AV", "AX", "AZ",
          "BB"]
    return dict.fromkeys(rx if side == "tx" else tx, "")


@pytest.mark.parametrize("side", ["tx", "rx"])
def test_r8_one_side_alone_passes(side: str) -> None:
    assert check([sample_row(**_only(side))]).valid


# R9 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("site", "structure", "height"), [("U", "", "5"), ("U", "", "-101"),
                                                           ("O", "45", "50.1"), ("I", "", "600.5"),
                                                           ("O", "", "-1")])
def test_r9_antenna_heights_out_of_bounds_are_errors(
    site: str, structure: str, height: str
) -> None:
    outcome = check([sample_row(N=site, O=structure, AM=height)])
    assert errors_in(outcome, "AM") == ["SD-R9-HEIGHT"]


@pytest.mark.parametrize(("site", "structure", "height"), [("U", "", "-100"), ("U", "", "0"),
                                                           ("O", "45", "50"), ("I", "", "600"),
                                                           ("I", "12.5", "17.5")])
def test_r9_antenna_heights_in_bounds_pass(site: str, structure: str, height: str) -> None:
    assert check([sample_row(N=site, O=structure, AM=height, AN=height)]).valid


# R10 --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("column", "value"), [("AU", "0"), ("AU", "360"), ("AV", "359.95"),
                                               ("AQ", "0.5"), ("AT", "400")])
def test_r10_azimuths_and_beamwidths_outside_1_to_359_9_are_errors(column: str, value: str) -> None:
    outcome = check([sample_row(**{column: value})])
    assert errors_in(outcome, column) == ["SD-R10-ANGLE"]


@pytest.mark.parametrize("value", ["1.0", "1", "180", "359.9", "359.90"])
def test_r10_angles_from_1_to_359_9_pass(value: str) -> None:
    assert check([sample_row(AU=value, AV=value, AQ=value, AR=value, AS=value, AT=value)]).valid
