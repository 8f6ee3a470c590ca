"""The offline command: ``spectrum sitedata validate FILE``: exit codes, the exact JSON
shape, the text report, --licences and --today."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sitedata_kit import sample_row, special_row, to_csv

from services.sitedata.cli import main

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    path.write_bytes(to_csv([sample_row(), special_row("020000001", "NOCHANGE")]))
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv([sample_row(G="fx"), sample_row(F="B", AU="0")]))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_valid_file_exits_0(capsys: pytest.CaptureFixture[str], good: Path) -> None:
    code, out, _ = run(capsys, "validate", str(good), "--today", "2026-11-05")
    assert code == 0
    assert "good.csv: VALID - 2 records" in out
    assert "not checked offline" in out


def test_an_invalid_file_exits_1_and_lists_errors(
    capsys: pytest.CaptureFixture[str], bad: Path
) -> None:
    code, out, _ = run(capsys, "validate", str(bad), "--today", "2026-11-05")
    assert code == 1
    assert "SD-R4-CAPS" in out and "SD-R10-ANGLE" in out
    assert "line 2, G (Station type): 'fx'" in out
    assert "bad.csv: NOT VALID - 2 records" in out.splitlines()[-1]


def test_json_output_has_exactly_the_agreed_shape(
    capsys: pytest.CaptureFixture[str], bad: Path
) -> None:
    code, out, err = run(capsys, "validate", str(bad), "--format", "json", "--today",
                         "2026-11-05")
    report = json.loads(out)
    assert code == 1
    assert set(report) == {"valid", "records", "errors", "warnings"}
    assert report["valid"] is False and report["records"] == 2
    assert report["errors"][0] == {
        "line": 2, "column": "G", "code": "SD-R4-CAPS",
        "message": "The code must be in ALL CAPS: write FX.",
    }
    assert all(set(e) == {"line", "column", "code", "message"} for e in report["errors"])
    assert "not checked offline" in err


def test_json_for_a_valid_file(capsys: pytest.CaptureFixture[str], good: Path) -> None:
    code, out, _ = run(capsys, "validate", str(good), "--format", "json", "--today",
                       "2026-11-05")
    assert code == 0
    assert json.loads(out) == {"valid": True, "records": 2, "errors": [], "warnings": []}


@pytest.mark.parametrize("argv", [["validate", "missing.csv"], ["validate"], ["check", "x.csv"],
                                  ["validate", "x.csv", "--format", "xml"],
                                  ["validate", "x.csv", "--today", "2026-13-40"], []])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "error" in err


def test_a_missing_licence_list_exits_2(capsys: pytest.CaptureFixture[str], good: Path) -> None:
    code, _, err = run(capsys, "validate", str(good), "--licences", str(good.parent / "no.txt"))
    assert code == 2 and "licence list" in err


def test_licences_not_listed_are_errors(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path
) -> None:
    listed = tmp_path / "mine.txt"
    listed.write_text("010898101  # our main licence\n\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(good), "--licences", str(listed), "--format",
                       "json", "--today", "2026-11-05")
    report = json.loads(out)
    assert code == 1
    assert [(e["line"], e["column"], e["code"]) for e in report["errors"]] == [
        (3, "A", "SD-LIC-NOT-LISTED")]


def test_today_decides_which_dates_are_in_the_future(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "dated.csv"
    path.write_bytes(to_csv([sample_row(Q="2026-11-05")]))
    assert run(capsys, "validate", str(path), "--today", "2026-11-05")[0] == 0
    assert run(capsys, "validate", str(path), "--today", "2026-11-04")[0] == 1


def test_runs_as_a_module(bad: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "services.sitedata.cli", "validate", str(bad), "--format", "json",
         "--today", "2026-11-05"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["records"] == 2
