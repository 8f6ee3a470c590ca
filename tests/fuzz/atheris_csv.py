"""Coverage-guided fuzzing of the site-data CSV engine with atheris (libFuzzer).

    .venv/bin/python -m tests.fuzz.atheris_csv -runs=100000          # or -max_total_time=600

Any exception out of ``validate`` is a crash that libFuzzer reports with the input that
caused it. ``tests/fuzz/test_atheris.py`` runs a bounded session in CI.
"""

from __future__ import annotations

import sys
from datetime import date

import atheris

with atheris.instrument_imports():
    from services.sitedata.domain.validation import Outcome, validate

from tests.support.sitedata_files import station_row, to_csv

TODAY = date(2026, 11, 5)
SEED = to_csv([station_row("010898101", "Tower A"), station_row("010898102", "Tower B")])


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    chunk = provider.ConsumeIntInRange(1, 512)
    body = provider.ConsumeBytes(provider.remaining_bytes())
    if body[:1] == b"+":  # half the inputs start from a valid file, mutated at the end
        body = SEED + body[1:]
    chunks = [body[i:i + chunk] for i in range(0, len(body), chunk)]
    outcome = validate(iter(chunks), filename="site.csv", today=TODAY)
    if not isinstance(outcome, Outcome):
        raise AssertionError(f"validate returned {type(outcome)!r}")


def main(argv: list[str]) -> None:
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
