"""File rules F1-F7 that do not need the rows: the name, the first bytes, the size, the header
and the findings about records as a whole."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .findings import MAX_BYTES, Code, Finding, file_finding
from .spec import FIELD_COUNT

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "file saved as .xlsx (a ZIP file)"),
    (b"PK\x05\x06", "file saved as a ZIP file"),
    (b"\xd0\xcf\x11\xe0", "file saved as .xls (an Excel 97-2003 workbook)"),
    (b"%PDF", "file saved as PDF"),
    (b"\xff\xfe", "file saved as UTF-16 text"),
    (b"\xfe\xff", "file saved as UTF-16 text"),
)
_SAVE_AS = "save it from your spreadsheet as 'CSV UTF-8 (comma delimited)' and upload the .csv"
_ALL_DIGITS = re.compile(r"[0-9]+")
_DATA_LIKE = re.compile(r"\s*[0-9][0-9\s\-./]*")


def check_filename(filename: str) -> Finding | None:
    """F1, the name part: the name must end in .csv (any case)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if name.lower().endswith(".csv") and len(name) > len(".csv"):
        return None
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in {"xlsx", "xls", "xlsm", "ods", "pdf", "txt", "xml"}:
        found = f"file saved as .{extension}"
    else:
        found = f"the file name '{name[:100]}' does not end in .csv"
    return file_finding(Code.F1_NAME, f"{found} - submitted files must be .csv: {_SAVE_AS}.")


def sniff_kind(first_bytes: bytes) -> Finding | None:
    """F1, the bytes part: ZIP/XLSX, OLE2/XLS, PDF, UTF-16 or NUL bytes are not CSV text."""
    for magic, found in _MAGIC:
        if first_bytes.startswith(magic):
            return file_finding(
                Code.F1_KIND, f"{found} - submitted files must be .csv text: {_SAVE_AS}."
            )
    if b"\x00" in first_bytes:
        return file_finding(
            Code.F1_KIND,
            f"the file contains NUL bytes, so it is not CSV text - {_SAVE_AS}.",
        )
    return None


def too_large(size: int) -> Finding:
    """F2: more than 60 MB."""
    return file_finding(
        Code.F2_SIZE,
        f"The file is larger than 60 MB ({MAX_BYTES:,} bytes; read {size:,} so far). Split it "
        "into several files: upload the first in Replace mode and the others in Append mode.",
    )


def is_header(fields: Sequence[str]) -> bool:
    """F6: the first record is a header when its column A is not all digits."""
    return not _ALL_DIGITS.fullmatch(fields[0])


def header_findings(fields: Sequence[str], line: int) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) for a header record: 54 fields; titles are never checked."""
    errors = [] if len(fields) == FIELD_COUNT else [field_count(len(fields), line)]
    warnings = []
    if _DATA_LIKE.fullmatch(fields[0]):
        warnings.append(
            file_finding(
                Code.F6_HEADER,
                f"Line {line} was read as a header because its column A ('{fields[0][:30]}') "
                "is not all digits. If it is data, write the licence number as 9 digits.",
                line,
            )
        )
    return errors, warnings


def field_count(found: int, line: int) -> Finding:
    """F5: every record has exactly 54 fields."""
    return file_finding(
        Code.F5_FIELDS,
        f"Wrong number of fields (found {found}): every record needs exactly {FIELD_COUNT} "
        "(A to BB). A comma inside a number splits it (write 10000, not 10,000); put text "
        "that holds a comma in double quotes.",
        line,
    )


def blank_record(line: int) -> Finding:
    """Warning: a record of empty fields only (commas alone) is skipped like an empty line."""
    return file_finding(
        Code.F7_BLANK_ROW,
        "This line has only empty fields (commas alone) and was skipped; delete it.",
        line,
    )


def no_records() -> Finding:
    """F7: no data record at all."""
    return file_finding(
        Code.F7_EMPTY,
        "The file has no data records (it is empty, or holds a header alone): add a row per "
        "station, or a NOSTATIONS or NOCHANGE row per licence.",
    )


def quote_problem(line: int, detail: str) -> Finding:
    """F4: a quote left open, or text after a closing quote, in the record starting here."""
    if "expected after" in detail:
        how = ("a closing double quote must be followed by a comma or the end of the line; "
               'write a quote inside a quoted value as two quotes ("")')
    else:
        how = ("a double quote opened in this record is never closed: add the closing quote, "
               'or write a quote inside a value as two quotes ("") within a quoted value')
    return file_finding(Code.F4_QUOTE, f"Unbalanced quote: {how}.", line)
