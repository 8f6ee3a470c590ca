"""Collecting findings under the cap and assembling the Outcome."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from .findings import ERROR_CAP, Code, Finding, LicenceTally, Outcome, file_finding
from .row_rules import column_order

UTF8 = "utf-8"
WINDOWS_1252 = "windows-1252"


def _order(finding: Finding) -> tuple[int, int]:
    return (finding.line or 0, column_order(finding.column))


class Collector:
    """Keeps the first ERROR_CAP errors (and warnings) and counts every error."""

    def __init__(self, on_first_error: Callable[[], None] | None = None) -> None:
        self.errors: list[Finding] = []
        self.warnings: list[Finding] = []
        self.error_count = 0
        self._warning_count = 0
        self._on_first_error = on_first_error

    def error(self, finding: Finding) -> None:
        self.error_count += 1
        if self.error_count == 1 and self._on_first_error is not None:
            self._on_first_error()
        if len(self.errors) < ERROR_CAP:
            self.errors.append(finding)

    def add_errors(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.error(finding)

    def warn(self, finding: Finding) -> None:
        self._warning_count += 1
        if len(self.warnings) < ERROR_CAP:
            self.warnings.append(finding)

    def add_warnings(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.warn(finding)

    def outcome(
        self, records: int, licences: dict[str, LicenceTally], encoding: str, size: int,
        sha256: str,
    ) -> Outcome:
        errors = sorted(self.errors, key=_order)
        capped = self.error_count > ERROR_CAP
        if capped:
            errors = [_cap_notice(self.error_count), *errors[: ERROR_CAP - 1]]
        return Outcome(
            records=records,
            errors=errors,
            error_count=self.error_count,
            capped=capped,
            warnings=sorted(self.warnings, key=_order),
            licences=licences,
            encoding=encoding,
            size=size,
            sha256=sha256,
        )


def _cap_notice(count: int) -> Finding:
    return file_finding(
        Code.CAPPED,
        f"The file has {count:,} errors; this report lists the first {ERROR_CAP - 1:,} of them. "
        "Correct those and upload again to see the rest.",
    )


def refused(finding: Finding, size: int = 0, sha256: str | None = None) -> Outcome:
    """The outcome of a file refused by F1 or F2: that one error and nothing else."""
    return Outcome(
        records=0,
        errors=[finding],
        error_count=1,
        capped=False,
        warnings=[],
        licences={},
        encoding=UTF8,
        size=size,
        sha256=sha256 if sha256 is not None else hashlib.sha256(b"").hexdigest(),
    )


def fallback_warning() -> Finding:
    """F3: the file was not UTF-8 and was read as Windows-1252."""
    return file_finding(
        Code.F3_CP1252,
        "The file is not UTF-8, so it was read as Windows-1252 (what Excel writes). Check "
        "accented letters in the reports; to avoid this, save as 'CSV UTF-8 (comma delimited)'.",
    )
