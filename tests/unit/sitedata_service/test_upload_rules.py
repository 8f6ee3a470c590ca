"""The upload's domain rules: what applying does, which upload goes next, licence checks."""

from __future__ import annotations

from datetime import date

import pytest

from services.sitedata.domain.report import error_csv, neutralise
from services.sitedata.domain.upload import (
    LicenceRecord,
    Mode,
    Stage,
    first_applicable,
    licence_problem,
    parse_mode,
    plan_apply,
)
from shared.errors import DomainError

ACCOUNT_LICENCES = ["L1", "L2", "L3", "L4"]


@pytest.mark.parametrize(("mode", "file", "clear", "keep"), [
    (Mode.REPLACE, {"L1": None}, {"L1", "L2", "L3", "L4"}, set()),
    (Mode.REPLACE, {"L1": None, "L2": "NOCHANGE"}, {"L1", "L3", "L4"}, {"L2"}),
    (Mode.REPLACE, {"L1": "NOSTATIONS"}, {"L1", "L2", "L3", "L4"}, set()),
    (Mode.APPEND, {"L1": None}, set(), set()),
    (Mode.APPEND, {"L1": None, "L2": "NOSTATIONS", "L3": "NOCHANGE"}, {"L2"}, {"L3"}),
])
def test_plan_apply(mode: Mode, file: dict[str, str | None], clear: set[str],
                    keep: set[str]) -> None:
    plan = plan_apply(mode, file, ACCOUNT_LICENCES)
    assert set(plan.clear) == clear
    assert set(plan.keep) == keep
    assert set(plan.insert) == {lic for lic, special in file.items() if special is None}


def V(upload: str, *accounts: str) -> tuple[str, str, frozenset[str]]:  # noqa: N802
    return (upload, Stage.VALIDATED.value, frozenset(accounts))


def R(upload: str, *accounts: str) -> tuple[str, str, frozenset[str]]:  # noqa: N802
    return (upload, Stage.RECEIVED.value, frozenset(accounts))


@pytest.mark.parametrize(("pending", "expected"), [
    ([], None),
    ([V("u1", "A")], "u1"),
    ([R("u1", "A"), V("u2", "A")], None),          # an earlier upload of A still validating
    ([R("u1", "A"), V("u2", "B")], "u2"),          # different accounts: no need to wait
    ([R("u1", "A", "B"), V("u2", "B")], None),      # u1 could touch B
    ([V("u1", "A"), V("u2", "B")], "u1"),
    ([R("u1", "A"), V("u2", "A", "C"), V("u3", "C")], None),  # u3 waits behind u2
])
def test_first_applicable_keeps_the_order_received(pending: list[tuple[str, str, frozenset[str]]],
                                                   expected: str | None) -> None:
    assert first_applicable(pending) == expected


TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(("record", "code"), [
    (None, "SD-LIC-UNKNOWN"),
    (LicenceRecord("010898101", "999", "Granted", date(2030, 3, 31)), "SD-LIC-NOT-YOURS"),
    (LicenceRecord("010898101", "100", "Suspended", date(2030, 3, 31)), "SD-LIC-STATUS"),
    (LicenceRecord("010898101", "100", "Expired", date(2025, 3, 31)), "SD-LIC-EXPIRED"),
    (LicenceRecord("010898101", "100", "Granted", date(2026, 11, 21)), "SD-LIC-EXPIRED"),
    (LicenceRecord("010898101", "100", "Granted", date(2026, 11, 22)), None),
])
def test_licence_problem(record: LicenceRecord | None, code: str | None) -> None:
    problem = licence_problem("010898101", record, {"100"}, TODAY)
    assert (problem[0] if problem else None) == code


def test_modes() -> None:
    assert parse_mode(None) is Mode.REPLACE
    assert parse_mode(" Append ") is Mode.APPEND
    with pytest.raises(DomainError) as refused:
        parse_mode("merge")
    assert refused.value.code == "SD-MODE"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+1", "-A1", "-1e9", "@SUM(A1)", "\t=x"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1", "-75.6972", "45.4215", "0"])
def test_plain_numbers_stay_numbers(cell: str) -> None:
    assert neutralise(cell) == cell


def test_error_csv_has_a_header_and_quotes() -> None:
    text = "".join(error_csv([(2, "A", "Licence", "=x,y", "SD-X", "Fix it")]))
    assert text.splitlines() == ["line,column,column_name,value,code,message",
                                 "2,A,Licence,\"'=x,y\",SD-X,Fix it"]
