"""What validation reports: findings, parsed rows, per-licence tallies and the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from .spec import Column

MAX_BYTES = 60 * 1024 * 1024
ERROR_CAP = 10_000
VALUE_CUT = 100


class Code:
    """The stable codes users and the error report see. Never renumber; add new ones."""

    F1_NAME = "SD-F1-NAME"
    F1_KIND = "SD-F1-KIND"
    F2_SIZE = "SD-F2-SIZE"
    F3_CP1252 = "SD-F3-CP1252"  # warning
    F4_QUOTE = "SD-F4-QUOTE"
    F5_FIELDS = "SD-F5-FIELDS"
    F6_HEADER = "SD-F6-HEADER"  # warning: a first line that reads as a header looks like data
    F7_EMPTY = "SD-F7-EMPTY"
    F7_BLANK_ROW = "SD-F7-BLANK-ROW"  # warning: a record of commas only was skipped
    R1_SPACES = "SD-R1-SPACES"
    R2_NUMBER = "SD-R2-NUMBER"
    R3_DATE = "SD-R3-DATE"
    R3_FUTURE = "SD-R3-FUTURE"
    R4_CAPS = "SD-R4-CAPS"
    R5_SPECIAL = "SD-R5-SPECIAL"
    R6_MIXED = "SD-R6-MIXED"
    R6_KEYWORDS = "SD-R6-KEYWORDS"
    R7_ORDER = "SD-R7-ORDER"
    R8_FREQUENCY = "SD-R8-FREQUENCY"
    R9_HEIGHT = "SD-R9-HEIGHT"
    R10_ANGLE = "SD-R10-ANGLE"
    COL_REQUIRED = "SD-COL-REQUIRED"
    COL_PATTERN = "SD-COL-PATTERN"
    COL_LENGTH = "SD-COL-LENGTH"
    COL_RANGE = "SD-COL-RANGE"
    COL_INT = "SD-COL-INT"
    COL_CODE = "SD-COL-CODE"
    COL_EMAIL = "SD-COL-EMAIL"
    NOCHANGES = "SD-W-NOCHANGES"  # warning
    CAPPED = "SD-CAPPED"
    LICENCE_NOT_LISTED = "SD-LIC-NOT-LISTED"
    PROCESSING_FAILED = "SD-PROCESSING-FAILED"  # the service could not finish the file


@dataclass(frozen=True, slots=True)
class Finding:
    """One error or warning. ``line`` is the physical line where the record starts (header =
    line 1), None for the whole file; ``value`` is the value as found, cut to 100 chars."""

    line: int | None
    column: str | None
    column_name: str | None
    value: str | None
    code: str
    message: str


def cell_finding(line: int, column: Column, value: str, code: str, message: str) -> Finding:
    """A finding about one cell."""
    return Finding(line, column.letter, column.name, value[:VALUE_CUT], code, message)


def file_finding(code: str, message: str, line: int | None = None) -> Finding:
    """A finding about the file or a whole line."""
    return Finding(line, None, None, None, code, message)


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """A data record that passed its checks, handed to ``on_row`` in file order."""

    line: int
    licence: str
    special: str | None
    fields: tuple[str, ...]


class RowSink(Protocol):
    """Where validation hands the records that have no error of their own, in file order."""

    def line(self, line: int, licence: str, body: str) -> None:
        """A station row read from a line without quotes: ``body`` is its 54 values joined
        with commas, exactly as they are."""

    def row(self, row: ParsedRow) -> None:
        """Any other record (quoted values, special rows)."""

    def stop(self) -> None:
        """The file has an error and will not be applied: the rows after it are not wanted."""


@dataclass
class LicenceTally:
    """Per licence: its special keyword (None when it has station rows), records, stations."""

    licence: str
    special: str | None
    rows: int = 0
    stations: int = 0


@dataclass
class Outcome:
    """The result of validating one file."""

    records: int
    errors: list[Finding]
    error_count: int
    capped: bool
    warnings: list[Finding]
    licences: dict[str, LicenceTally] = field(default_factory=dict)
    encoding: str = "utf-8"
    size: int = 0
    sha256: str = ""

    @property
    def valid(self) -> bool:
        """True when the file has no error at all: it may then be applied."""
        return self.error_count == 0
