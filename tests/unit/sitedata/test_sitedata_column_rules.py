"""Column rules from sitedata-columns.json: every 'required' kind, patterns, lengths, ranges,
'gt', whole numbers, codes, e-mail lists and range_by_tech."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitedata_kit import check, errors_in, sample_row, special_row

from services.sitedata.domain.validation import COLUMNS, column_spec, explain_column

SHARED_SPEC = Path(__file__).resolve().parents[4] / "shared" / "spec" / "sitedata-columns.json"
PACKAGED_SPEC = Path(__file__).resolve().parents[3] / "services" / "sitedata" / "domain"


def test_the_spec_lists_54_columns_a_to_bb() -> None:
    spec = column_spec()
    assert COLUMNS[0] == "A" and COLUMNS[-1] == "BB" and len(COLUMNS) == 54
    assert [c.letter for c in spec] == COLUMNS
    assert spec[7].name == "Radio technology" and spec[7].codes[0] == "GSM"


def test_every_column_can_be_explained_on_the_upload_page() -> None:
    texts = [explain_column(c) for c in column_spec()]
    assert all(t.startswith(f"{c.letter} (") for t, c in zip(texts, column_spec(), strict=True))
    assert "optional" in texts[1] and "Use one of: FX, TC" in texts[6]


def test_the_packaged_spec_is_a_copy_of_the_shared_one() -> None:
    if not SHARED_SPEC.exists():
        pytest.skip(f"the shared spec is not beside the repository ({SHARED_SPEC})")
    packaged = json.loads((PACKAGED_SPEC / "sitedata-columns.json").read_text(encoding="utf-8"))
    assert packaged == json.loads(SHARED_SPEC.read_text(encoding="utf-8"))


# required kinds: (column, row that needs it, row that does not) ---------------------------

REQUIRED = {
    "always": ("C", {}, None),
    "station": ("K", {}, None),
    "fx": ("H", {}, {"G": "TC", "I": "", "J": ""}),
    "cond (I when H is cellular)": ("I", {"H": "GSM", "J": ""}, {"H": "WI-FI", "J": ""}),
    "cond (J when H is LTE)": ("J", {"H": "LTE"}, {"H": "HSPA"}),
    "cond (O when N is O)": ("O", {"N": "O"}, {"N": "I"}),
    "tx": ("U", {}, {"S": "", "U": "", "W": "", "Y": "", "AC": "", "AE": "", "AG": "", "AI": "",
                     "AK": "", "AM": "", "AO": "", "AQ": "", "AS": "", "AU": "", "AW": "",
                     "AY": "", "BA": ""}),
    "rx": ("V", {}, {"T": "", "V": "", "X": "", "Z": "", "AF": "", "AH": "", "AJ": "", "AL": "",
                     "AN": "", "AP": "", "AR": "", "AT": "", "AV": "", "AX": "", "AZ": "",
                     "BB": ""}),
    "tx_fx": ("W", {}, {"G": "TC"}),
    "rx_fx": ("AF", {}, {"G": "TC"}),
    "tx_directional": ("AQ", {}, {"AO": "N", "AS": "", "AU": "", "AW": ""}),
    "rx_directional": ("AX", {}, {"AP": "N", "AR": "", "AT": "", "AV": ""}),
}


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_required_columns_must_be_filled_in(kind: str) -> None:
    column, needs, _ = REQUIRED[kind]
    outcome = check([sample_row(**needs, **{column: ""})])
    assert errors_in(outcome, column) == ["SD-COL-REQUIRED"]


@pytest.mark.parametrize("kind", sorted(k for k, v in REQUIRED.items() if v[2] is not None))
def test_required_columns_may_be_empty_when_the_condition_does_not_hold(kind: str) -> None:
    column, _, without = REQUIRED[kind]
    assert without is not None
    outcome = check([sample_row(**{**without, column: ""})])
    assert outcome.valid, outcome.errors


def test_always_columns_are_required_on_special_rows_and_optional_b_is_not() -> None:
    row = special_row("010898101", "NOCHANGE")
    row[1], row[4] = "", ""
    assert [f.column for f in check([row]).errors] == ["E"]
    assert check([sample_row(B="")]).valid


# patterns and lengths ---------------------------------------------------------------------

@pytest.mark.parametrize(("column", "value"), [("A", "10898101"), ("A", "010898101-001"),
                                               ("A", "O10898101"), ("I", "302720-51234"),
                                               ("I", "3027-2-1"), ("AB", "G7"), ("AB", "G7W-X")])
def test_patterns_reject(column: str, value: str) -> None:
    assert errors_in(check([sample_row(**{column: value})]), column) == ["SD-COL-PATTERN"]


def test_the_licence_error_says_to_add_the_leading_zero() -> None:
    outcome = check([sample_row(A="10898101")])
    assert "leading 0" in outcome.errors[0].message and "010898101" in outcome.errors[0].message


@pytest.mark.parametrize(("column", "value"), [("A", "000000001"), ("I", "AB-CD-EFGHIJKLMN"),
                                               ("AB", "g7w"), ("AB", "F3EJN")])
def test_patterns_accept(column: str, value: str) -> None:
    assert check([sample_row(**{column: value})]).valid


@pytest.mark.parametrize(("column", "value"), [("D", "613-555-1"), ("B", "R" * 64),
                                               ("F", "F" * 64), ("C", "c" * 255)])
def test_lengths_reject(column: str, value: str) -> None:
    assert errors_in(check([sample_row(**{column: value})]), column) == ["SD-COL-LENGTH"]


def test_lengths_accept_the_bounds() -> None:
    assert check([sample_row(D="613-555-01", B="R" * 63, F="F" * 63, C="c" * 254)]).valid


# numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("column", "value"), [("L", "40.99"), ("L", "90.01"), ("M", "-39.5"),
                                               ("M", "-141.1"), ("AA", "0.05"), ("AC", "80.5"),
                                               ("AD", "101"), ("AG", "0"), ("AH", "257"),
                                               ("AW", "-91"), ("AY", "70.1"), ("BA", "30.5")])
def test_ranges_reject(column: str, value: str) -> None:
    assert errors_in(check([sample_row(**{column: value})]), column) == ["SD-COL-RANGE"]


def test_ranges_accept_their_bounds() -> None:
    row = sample_row(L="41", M="-40", AA="0.1", AC="-20", AD="100", AG="256", AH="1", AW="90",
                     AX="-90", AY="70", AZ="0", BA="30", BB="0.0")
    assert check([row]).valid


@pytest.mark.parametrize("value", ["0", "0.0", "-5"])
def test_gt_rejects_zero_and_below(value: str) -> None:
    assert errors_in(check([sample_row(S=value)]), "S") == ["SD-COL-RANGE"]


def test_gt_accepts_anything_above() -> None:
    assert check([sample_row(S="0.001", T="100000")]).valid


@pytest.mark.parametrize(("column", "value"), [("AG", "4.0"), ("AH", "2.5"), ("J", "12.0")])
def test_whole_number_columns_reject_decimals(column: str, value: str) -> None:
    assert errors_in(check([sample_row(**{column: value})]), column) == ["SD-COL-INT"]


def test_decimal_columns_accept_whole_numbers() -> None:
    assert check([sample_row(L="45", AY="17")]).valid


@pytest.mark.parametrize(("tech", "pci", "ok"), [("LTE", "503", True), ("LTE", "504", False),
                                                 ("5GNR", "1007", True), ("5GDSS", "1008", False),
                                                 ("5GNR", "504", True)])
def test_range_by_technology(tech: str, pci: str, ok: bool) -> None:
    outcome = check([sample_row(H=tech, J=pci)])
    assert errors_in(outcome, "J") == ([] if ok else ["SD-COL-RANGE"])


# codes and e-mail lists -------------------------------------------------------------------

@pytest.mark.parametrize(("column", "value"), [("G", "FS"), ("K", "QB"), ("P", "X"), ("AE", "AA")])
def test_unknown_codes_list_the_known_ones(column: str, value: str) -> None:
    outcome = check([sample_row(**{column: value})])
    assert errors_in(outcome, column) == ["SD-COL-CODE"]
    assert "Use one of" in outcome.errors[0].message


@pytest.mark.parametrize("value", ["ops@example", "ops.example.ca", "a@b.ca;c@d.ca", "a@b.ca,",
                                   "a@@b.ca"])
def test_email_lists_reject(value: str) -> None:
    assert errors_in(check([sample_row(E=value)]), "E") == ["SD-COL-EMAIL"]


@pytest.mark.parametrize("value", ["ops@example.ca", "a@b.ca,c@d.co.uk", "a@b.ca, c@d.ca",
                                   "jean.côté@exemple.qc.ca"])
def test_email_lists_accept(value: str) -> None:
    assert check([sample_row(E=value)]).valid
