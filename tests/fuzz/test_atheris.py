"""A bounded atheris session on the CSV engine (coverage-guided, libFuzzer): no crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_coverage_guided_fuzzing_finds_no_crash(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.atheris_csv", "-runs=20000", "-max_total_time=25",
         "-max_len=4096", "-seed=9", f"-artifact_prefix={tmp_path}/"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Done" in result.stderr or "DONE" in result.stderr, result.stderr[-2000:]
