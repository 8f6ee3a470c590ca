"""Site-data upload validation: every file rule (F1-F7), row rule (R1-R10) and column rule of
``sitedata-columns.json``, streamed so that memory stays flat. Pure Python, stdlib only.

    outcome = validate(chunks, filename="site.csv", today=clock.today())
"""

from __future__ import annotations

from .column_rules import explain as explain_column
from .engine import validate
from .file_rules import check_filename, sniff_kind
from .findings import (
    ERROR_CAP,
    MAX_BYTES,
    Code,
    Finding,
    LicenceTally,
    Outcome,
    ParsedRow,
    RowSink,
)
from .spec import COLUMNS, Column, column_spec

__all__ = [
    "COLUMNS",
    "ERROR_CAP",
    "MAX_BYTES",
    "Code",
    "Column",
    "Finding",
    "LicenceTally",
    "Outcome",
    "ParsedRow",
    "RowSink",
    "check_filename",
    "column_spec",
    "explain_column",
    "sniff_kind",
    "validate",
]
