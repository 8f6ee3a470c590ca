"""Benchmark: validate() against a bare csv.reader pass over the same ~59 MB file.

    .venv/bin/python -m benchmarks.sitedata_validate [--rows 164000] [--repeat 3]

Generates (or reuses, cached under ./var/bench/) a valid file of realistic rows, times a bare
``csv.reader`` pass and ``validate()`` over it in the same run (interleaved, best of
``--repeat`` each; wall-clock, or CPU time with ``--clock cpu``), and prints one JSON line:
``{"rows", "seconds", "rows_per_s", "peak_rss_mb", "csv_reader_seconds", "ratio"}``.
The goal is ratio <= 2 and peak RSS < 150 MB. Peak RSS is the process's high-water mark
(``ru_maxrss``), which covers the generation step too (it streams).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.gen_sitedata import TODAY, write_file
from services.sitedata.domain.validation import validate

CHUNK = 1 << 20
CACHE = Path("var/bench")


def chunks(path: Path) -> Iterator[bytes]:
    """The file in 1 MiB pieces, as the service reads an upload."""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def csv_reader_pass(path: Path, clock: str = "wall") -> float:
    now = CLOCKS[clock]
    start = now()
    with path.open(newline="", encoding="utf-8") as handle:
        for _ in csv.reader(handle):
            pass
    return now() - start


def validate_pass(path: Path, clock: str = "wall") -> tuple[float, int]:
    now = CLOCKS[clock]
    start = now()
    outcome = validate(chunks(path), filename=path.name, today=TODAY)
    seconds = now() - start
    if not outcome.valid:
        raise SystemExit(f"the generated file is not valid: {outcome.errors[:3]}")
    return seconds, outcome.records


def bench_file(rows: int, seed: int) -> Path:
    path = CACHE / f"sitedata-{rows}-{seed}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_file(partial, rows, seed)
        partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=164_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="wall",
        help="wall-clock (default) or this process's CPU time, steadier on a busy machine",
    )
    args = parser.parse_args(argv)
    path = bench_file(args.rows, args.seed)
    csv_runs, runs = [], []
    for _ in range(args.repeat):  # interleaved, so a busy moment hits both alike
        csv_runs.append(csv_reader_pass(path, args.clock))
        runs.append(validate_pass(path, args.clock))
    csv_seconds = min(csv_runs)
    seconds, records = min(runs)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "rows": records,
        "seconds": round(seconds, 3),
        "rows_per_s": round(records / seconds),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "csv_reader_seconds": round(csv_seconds, 3),
        "ratio": round(seconds / csv_seconds, 2),
    }))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
