"""What the end-to-end benchmarks share: files, servers, memory and mail probes."""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import aiohttp
import psutil

from benchmarks.gen_sitedata import Written, write_file
from services.gateway.demo_ready import wait_demo_ready
from shared.testing.servers import free_port, wait_healthy

CACHE = Path("var/bench")
ROOT = Path(__file__).resolve().parents[1]
MAX_BYTES = 59_500_000  # under the 60 MB limit, whatever the shape


def bench_file(shape: str, rows: int, licences: Sequence[str], seed: int = 1) -> Written:
    """A valid file of the given shape (cached with its facts under var/bench/)."""
    name = f"e2e-{shape}-{rows}-{seed}-{'-'.join(licences)}"
    path, facts = CACHE / f"{name}.csv", CACHE / f"{name}.json"
    if path.exists() and facts.exists():
        known = json.loads(facts.read_text())
        return Written(path, known["rows"], known["per_licence"], path.stat().st_size)
    written = write_file(path.with_suffix(".partial"), rows, seed, shape=shape,
                         licences=licences, max_bytes=MAX_BYTES, accents=True)
    written.path.replace(path)
    facts.write_text(json.dumps({"rows": written.rows, "per_licence": written.per_licence}))
    return Written(path, written.rows, written.per_licence, written.size)


def upload_form(content: IO[bytes] | bytes, filename: str = "stations.csv",
                mode: str = "replace") -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("mode", mode)
    form.add_field("file", content, filename=filename, content_type="text/csv")
    return form


def pct(values: Sequence[float], q: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 2)


# processes whose children are their own workers (PostgreSQL's backends, nginx's), not a
# Python service's helper
NOT_PYTHON = ("postgres", "tansu", "nginx", "bench")


class RssSampler:
    """The peak resident memory of each named process, sampled every 0.2 s, and the CPU
    seconds each spent while the block ran (where the time goes)."""

    def __init__(self, pids: dict[str, int], interval_s: float = 0.2) -> None:
        self._procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self._peak: dict[str, int] = dict.fromkeys(pids, 0)
        self._cpu: dict[str, float] = {}
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            below = _children_by_parent()  # one look over /proc a round, not one a process
            for name, proc in self._procs.items():
                with contextlib.suppress(psutil.Error):
                    self._peak[name] = max(self._peak[name], proc.memory_info().rss)
                if not name.startswith(NOT_PYTHON):
                    self._sample_children(name, proc.pid, below)

    def _sample_children(self, name: str, pid: int,
                         below: dict[int, list[psutil.Process]]) -> None:
        """The largest child of a Python process (the embedded system checks a big file in
        one; a server hashes passwords in one) is a process of its own: its peak is kept as
        ``name/child``."""
        waiting = list(below.get(pid, []))
        while waiting:
            child = waiting.pop()
            waiting.extend(below.get(child.pid, []))
            with contextlib.suppress(psutil.Error):
                key = f"{name}/child"
                self._peak[key] = max(self._peak.get(key, 0), child.memory_info().rss)

    def _cpu_now(self) -> dict[str, float]:
        """CPU seconds of each process and of the live children it has (PostgreSQL's
        backends, nginx's workers); a child that is itself named (the benchmark starts the
        stack) counts for itself only."""
        named = {proc.pid: name for name, proc in self._procs.items()}
        found = dict.fromkeys(self._procs, 0.0)
        for name, proc in self._procs.items():
            with contextlib.suppress(psutil.Error):
                for one in [proc, *proc.children(recursive=True)]:
                    if _owner(one, named) == name:
                        with contextlib.suppress(psutil.Error):
                            times = one.cpu_times()
                            found[name] += times.user + times.system
        return found

    def __enter__(self) -> RssSampler:
        self._cpu = self._cpu_now()
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()
        after = self._cpu_now()
        self._cpu = {name: round(after[name] - self._cpu.get(name, 0.0), 2)
                     for name in after if after[name] - self._cpu.get(name, 0.0) >= 0.05}

    def cpu_s(self) -> dict[str, float]:
        """CPU seconds per process while the block ran (those above 0.05 s)."""
        return dict(sorted(self._cpu.items(), key=lambda item: -item[1]))

    def peaks(self) -> dict[str, float]:
        return {name: round(rss / 2**20, 1) for name, rss in sorted(self._peak.items())}

    def max_of(self, wanted: Callable[[str], bool]) -> float:
        return max((v for k, v in self.peaks().items() if wanted(k)), default=0.0)


@contextmanager
def embedded_server(workdir: Path, timeout: float = 180.0) -> Iterator[tuple[str, int]]:
    """``spectrum run`` with its var/ under ``workdir``, once the demo licensee can upload."""
    port, smtp = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMS_")}
    env["PYTHONPATH"] = str(ROOT)
    env.setdefault("MALLOC_ARENA_MAX", "2")  # as `make run` starts it
    env.setdefault("MALLOC_MMAP_THRESHOLD_", "65536")
    with (workdir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "run", "--port", str(port), "--smtp-port",
             str(smtp)], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            alive = lambda: process.poll() is None  # noqa: E731
            if not (wait_healthy(url, timeout, alive=alive) and wait_demo_ready(url, timeout)):
                raise RuntimeError(f"spectrum run was not ready; see {workdir / 'server.log'}")
            yield url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def maildir_has(workdir: Path, text: str) -> bool:
    """Some message delivered to ``workdir/var/mail`` mentions ``text``."""
    for folder in ("new", "cur"):
        for path in (workdir / "var" / "mail" / folder).glob("*"):
            if text in path.read_text(errors="replace"):
                return True
    return False


def as_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _children_by_parent() -> dict[int, list[psutil.Process]]:
    found: dict[int, list[psutil.Process]] = {}
    for one in psutil.process_iter(["ppid"]):
        found.setdefault(one.info["ppid"], []).append(one)
    return found


def _owner(proc: psutil.Process, named: dict[int, str]) -> str | None:
    """The name of the nearest named process at or above ``proc``."""
    with contextlib.suppress(psutil.Error):
        for one in [proc, *proc.parents()]:
            if one.pid in named:
                return named[one.pid]
    return None


def stack_pids(stack: Any) -> dict[str, int]:
    """Every process of a started ``Stack`` by label, the servers and this one (moto and the
    SMTP sink run in the benchmark's process)."""
    pids = {p.label: p.process.pid for p in stack.procs.values() if p.process is not None}
    pids.update({"postgres": stack.pg.pid(), "tansu": stack.kafka.pid(),
                 "bench+moto+smtp": os.getpid()})
    return pids
