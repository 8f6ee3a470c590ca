"""The embedded system (``spectrum run``) as a real HTTP server in a child process, for tests
that speak HTTP from outside: the API fuzzer and the cross-account matrix."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.testing.servers import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def live_embedded(workdir: Path, timeout: float = 90.0) -> Iterator[str]:
    """Start ``spectrum run`` (demo data) with its var/ under ``workdir``; yield its URL."""
    port, smtp = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMS_")}
    env["PYTHONPATH"] = str(ROOT)
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "run", "--port", str(port), "--smtp-port",
         str(smtp)], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, process, timeout, workdir / "server.log")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    if wait_healthy(url, timeout, alive=lambda: process.poll() is None):
        return
    if process.poll() is not None:
        raise RuntimeError(f"spectrum run exited: {log.read_text(errors='replace')[-3000:]}")
    raise RuntimeError(f"spectrum run was not ready in {timeout}s; see {log}")