"""Benchmark: validate() against a bare csv.reader pass over the same file, per file shape.

    .venv/bin/python -m benchmarks.sitedata_validate [--shape quoted] [--rows 164000]
        [--repeat 3] [--clock cpu|wall]

For each shape of ``gen_sitedata.SHAPES`` (quoted where needed, every field quoted, LF, a
UTF-8 BOM, Windows-1252) it generates (or reuses, cached under ./var/bench/) a valid file of
realistic rows with French accents, capped at 59,500,000 bytes so every shape stays under the
60 MB upload limit. It then times, in one child process per shape and interleaved (best of
``--repeat`` each): a bare ``csv.reader`` pass reading the file with its right encoding,
``validate()`` alone, and ``validate()`` handing every row to a sink that does nothing (as the
service's pipeline runs it). It prints one JSON line per shape:

    {"shape", "rows", "bytes", "seconds", "rows_per_s", "csv_reader_seconds", "ratio",
     "ratio_with_sink", "peak_rss_mb", "clock", "wall_ratio"}

``seconds`` and the ratios use ``--clock`` (CPU time of this process by default: steadier when
other work shares the machine); ``wall_ratio`` is the same ratio by the wall clock. The goal
is ratio <= 1.5 on every shape and peak RSS < 150 MB. Peak RSS is the child's high-water mark
(``ru_maxrss``), which covers only reading and validating: the files are written beforehand.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from benchmarks.gen_sitedata import SHAPES, TODAY, write_file
from services.sitedata.domain.validation import ParsedRow, validate

CHUNK = 1 << 20
CACHE = Path("var/bench")
MAX_BYTES = 59_500_000
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
READ_AS = {"cp1252": "cp1252"}  # the csv.reader baseline decodes like the file was written


def chunks(path: Path) -> Iterator[bytes]:
    """The file in 1 MiB pieces, as the service reads an upload."""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


class NullSink:
    """A sink that takes every row and does nothing: the cost of handing rows on."""

    def line(self, line: int, licence: str, body: str) -> None:
        return None

    def row(self, row: ParsedRow) -> None:
        return None

    def stop(self) -> None:
        return None


def timed(work: Callable[[], int]) -> tuple[float, float, int]:
    """(cpu seconds, wall seconds, result) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def csv_reader_pass(path: Path, shape: str) -> int:
    rows = 0
    with path.open(newline="", encoding=READ_AS.get(shape, "utf-8-sig")) as handle:
        for _ in csv.reader(handle):
            rows += 1
    return rows


def validate_pass(path: Path, sink: NullSink | None = None) -> int:
    outcome = validate(chunks(path), filename=path.name, today=TODAY, sink=sink)
    if not outcome.valid:
        raise SystemExit(f"the generated file is not valid: {outcome.errors[:3]}")
    return outcome.records


def bench_file(shape: str, rows: int, seed: int) -> Path:
    path = CACHE / f"sitedata-{shape}-{rows}-{seed}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_file(partial, rows, seed, shape=shape, accents=True, max_bytes=MAX_BYTES)
        partial.replace(path)
    return path


def measure(shape: str, path: Path, repeat: int, clock: str) -> dict[str, object]:
    """Interleaved runs (a busy moment hits all three alike), best of ``repeat`` each."""
    pick = 0 if clock == "cpu" else 1
    runs: dict[str, list[tuple[float, float, int]]] = {"csv": [], "bare": [], "sink": []}
    for _ in range(repeat):
        runs["csv"].append(timed(lambda: csv_reader_pass(path, shape)))
        runs["bare"].append(timed(lambda: validate_pass(path)))
        runs["sink"].append(timed(lambda: validate_pass(path, NullSink())))
    best = {name: min(r[pick] for r in got) for name, got in runs.items()}
    wall = {name: min(r[1] for r in got) for name, got in runs.items()}
    records = runs["bare"][0][2]
    return {
        "shape": shape,
        "rows": records,
        "bytes": path.stat().st_size,
        "seconds": round(best["bare"], 3),
        "rows_per_s": round(records / best["bare"]),
        "csv_reader_seconds": round(best["csv"], 3),
        "ratio": round(best["bare"] / best["csv"], 2),
        "ratio_with_sink": round(best["sink"] / best["csv"], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "clock": clock,
        "wall_ratio": round(wall["bare"] / wall["csv"], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append",
                        help="one shape (repeat for several); default: every shape")
    parser.add_argument("--rows", type=int, default=164_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="this process's CPU time (default, steadier) or the wall clock")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    shapes = args.shape or list(SHAPES)
    paths = {shape: bench_file(shape, args.rows, args.seed) for shape in shapes}
    if args.child:  # one shape, in a process of its own so that its peak RSS is its own
        print(json.dumps(measure(shapes[0], paths[shapes[0]], args.repeat, args.clock)))
        return 0
    for shape in shapes:
        command = [sys.executable, "-m", "benchmarks.sitedata_validate", "--child",
                   "--shape", shape, "--rows", str(args.rows), "--seed", str(args.seed),
                   "--repeat", str(args.repeat), "--clock", args.clock]
        subprocess.run(command, check=True)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
