"""The surge benchmark's CPU quota: each chosen process in a group of its own with the share
asked for, and the groups gone (their processes given back) when the benchmark ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.cpu_quota import QuotaUnavailable, quota_each


def _quota_of(group: Path) -> float:
    if (group / "cpu.cfs_quota_us").exists():
        quota = int((group / "cpu.cfs_quota_us").read_text())
        return quota / int((group / "cpu.cfs_period_us").read_text())
    quota_text, period_text = (group / "cpu.max").read_text().split()
    return int(quota_text) / int(period_text)


def test_each_process_gets_its_own_share_and_is_given_back() -> None:
    sleepers = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
                for _ in range(2)]
    try:
        pids = {f"p{n}": p.pid for n, p in enumerate(sleepers)}
        try:
            with quota_each(pids, 0.25) as groups:
                members = [Path(g, "cgroup.procs").read_text().split() for g in groups]
                assert members == [[str(p.pid)] for p in sleepers]
                assert [_quota_of(Path(g)) for g in groups] == [0.25, 0.25]
        except QuotaUnavailable as error:
            pytest.skip(f"no writable cgroup CPU controller here: {error}")
        assert not any(Path(g).exists() for g in groups)
        assert all(p.poll() is None for p in sleepers)  # still running, no longer limited
    finally:
        for p in sleepers:
            p.kill()
            p.wait()
