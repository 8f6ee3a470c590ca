"""Offline site-data validation: ``spectrum sitedata validate FILE``.

The same rules as an upload, run on a local file. Licence ownership and status need the
registry, so they are not checked offline; ``--licences`` names the licences to treat as
owned (any other licence number is then an error).

Exit status: 0 valid, 1 not valid, 2 usage error (missing file, bad option).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from services.sitedata.domain.validation import Code, Finding, Outcome, validate

CHUNK = 1 << 20
PROGRESS_FROM = 8 * CHUNK  # show progress for files above 8 MiB, on a terminal
OFFLINE_NOTE = (
    "Note: licence ownership and status (the licence exists, is Granted, is not expired, and "
    "you may act for its account) are not checked offline; the upload checks them."
)
USAGE, VALID, NOT_VALID = 2, 0, 1


class UsageError(Exception):
    """A problem with the command line or its files: exit status 2."""


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spectrum sitedata", description="Work with site-data files offline."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate", help="check a site-data CSV file against the upload rules",
        description="Check a site-data CSV file against every upload rule that needs no "
        "registry. " + OFFLINE_NOTE.removeprefix("Note: "),
    )
    check.add_argument("file", type=Path, metavar="FILE", help="the .csv file to check")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--licences", type=Path, metavar="FILE",
        help="a file of licence numbers (one a line) to treat as owned; others are errors",
    )
    check.add_argument(
        "--today", type=_iso_date, default=None, metavar="YYYY-MM-DD",
        help="the upload date that dates may not be after (default: today)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``sitedata`` with ``argv`` starting at the subcommand (``validate FILE ...``)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else USAGE
    try:
        return _validate(args, sys.stdout, sys.stderr)
    except UsageError as problem:
        print(f"spectrum sitedata: error: {problem}", file=sys.stderr)
        return USAGE


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path: Path = args.file
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    licence_check = _licence_list(args.licences) if args.licences else None
    today = args.today or date.today()
    try:
        with path.open("rb") as handle:
            chunks = _chunks(handle)
            if err.isatty() and path.stat().st_size > PROGRESS_FROM:
                chunks = _progress(chunks, path.stat().st_size, err)
            outcome = validate(
                chunks, filename=path.name, today=today, licence_check=licence_check
            )
    except OSError as problem:
        raise UsageError(f"cannot read {path}: {problem.strerror or problem}") from None
    if args.format == "json":
        json.dump(as_json(outcome), out)
        out.write("\n")
        print(_note(args.licences), file=err)
    else:
        write_text(outcome, path.name, out, note=_note(args.licences))
    return VALID if outcome.valid else NOT_VALID


def _note(licences: Path | None) -> str:
    if licences is None:
        return OFFLINE_NOTE
    return (f"Note: licence status (Granted, not expired) is not checked offline; licences not "
            f"listed in {licences.name} are reported as errors.")


def _chunks(handle: Any) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def _progress(chunks: Iterable[bytes], total: int, err: TextIO) -> Iterator[bytes]:
    done = 0
    for chunk in chunks:
        done += len(chunk)
        err.write(f"\rvalidating... {min(done * 100 // total, 100)}%")
        err.flush()
        yield chunk
    err.write("\r" + " " * 24 + "\r")
    err.flush()


def _licence_list(path: Path) -> Callable[[str], Finding | None]:
    """A licence check that accepts the numbers listed in ``path`` (blank lines and # notes
    are ignored)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as problem:
        raise UsageError(f"cannot read the licence list {path}: {problem.strerror}") from None
    owned = {line.split("#", 1)[0].strip() for line in text.splitlines()} - {""}

    def check(licence: str) -> Finding | None:
        if licence in owned:
            return None
        return Finding(
            None, "A", None, licence, Code.LICENCE_NOT_LISTED,
            f"Licence {licence} is not in the list given with --licences ({path.name}): "
            "check the number, or add it to the list if your account holds it.",
        )

    return check


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "line": finding.line, "column": finding.column, "code": finding.code,
        "message": finding.message,
    }


def as_json(outcome: Outcome) -> dict[str, Any]:
    """The JSON report: exactly valid, records, errors and warnings."""
    return {
        "valid": outcome.valid,
        "records": outcome.records,
        "errors": [_finding_json(f) for f in outcome.errors],
        "warnings": [_finding_json(f) for f in outcome.warnings],
    }


def _where(finding: Finding) -> str:
    place = "file" if finding.line is None else f"line {finding.line}"
    if finding.column:
        place += f", {finding.column}"
        if finding.column_name:
            place += f" ({finding.column_name})"
    if finding.value is not None:
        place += f": {finding.value!r}"
    return place


def write_text(outcome: Outcome, name: str, out: TextIO, *, note: str = OFFLINE_NOTE) -> None:
    """The report for people: errors by code, then every error by line, then a summary."""
    if outcome.errors:
        counts = Counter(f.code for f in outcome.errors)
        out.write("Errors by code:\n")
        for code, count in counts.most_common():
            out.write(f"  {code:<20} {count:>6}\n")
        out.write("\nErrors (by line):\n")
        for finding in outcome.errors:
            out.write(f"  {_where(finding)} - {finding.message} [{finding.code}]\n")
    if outcome.warnings:
        out.write("\nWarnings:\n")
        for finding in outcome.warnings:
            out.write(f"  {_where(finding)} - {finding.message} [{finding.code}]\n")
    out.write(f"\n{note}\n")
    verdict = "VALID" if outcome.valid else "NOT VALID"
    capped = f" (showing {len(outcome.errors):,})" if outcome.capped else ""
    out.write(
        f"\n{name}: {verdict} - {outcome.records:,} records, {len(outcome.licences):,} "
        f"licences, {outcome.error_count:,} errors{capped}, {len(outcome.warnings):,} "
        "warnings\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
