"""The upload: its statuses, its modes, and what applying it does to the stations on file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.errors import DomainError

VALIDATING = "Validation in Progress"
PROCESSED = "Processed"
ERRORS_FOUND = "Errors Found"
NOSTATIONS = "NOSTATIONS"
NOCHANGE = "NOCHANGE"


class Stage(StrEnum):
    RECEIVED = "received"
    VALIDATED = "validated"
    APPLIED = "applied"
    REJECTED = "rejected"


ENDED = (Stage.APPLIED, Stage.REJECTED)  # Processed, or Errors Found: nothing more will happen


class Mode(StrEnum):
    REPLACE = "replace"
    APPEND = "append"


def parse_mode(text: str | None) -> Mode:
    value = (text or "replace").strip().lower()
    try:
        return Mode(value)
    except ValueError:
        raise DomainError("SD-MODE", f"The upload mode '{text}' is not known.",
                          fix="Choose Replace or Append.", field="mode") from None


@dataclass(frozen=True)
class LicenceRecord:
    """What sitedata knows of a licence (from licensing events)."""

    licence_number: str
    account_number: str
    status: str
    expires_on: date


def licence_problem(licence: str, record: LicenceRecord | None, may_act_for: set[str],
                    today: date) -> tuple[str, str] | None:
    """The server-side check of column A: (code, sentence) or None when the licence is fine."""
    if record is None:
        return ("SD-LIC-UNKNOWN", f"Licence {licence} is not in the licence registry. Check the "
                "number (9 digits with the leading 0) on your licence.")
    if record.account_number not in may_act_for:
        return ("SD-LIC-NOT-YOURS", f"Licence {licence} does not belong to an account this web "
                "profile may upload for. Remove its rows or ask the account owner for access.")
    if record.status == "Expired" or record.expires_on < today:
        return ("SD-LIC-EXPIRED", f"Licence {licence} expired on {record.expires_on.isoformat()}; "
                "remove its rows from the file.")
    if record.status != "Granted":
        return ("SD-LIC-STATUS", f"Licence {licence} is {record.status}, not Granted; site data "
                "can be filed only for granted licences.")
    return None


@dataclass(frozen=True)
class ApplyPlan:
    """Which licences lose their stations before the file's stations are inserted."""

    clear: frozenset[str]
    insert: frozenset[str]
    keep: frozenset[str]


def plan_apply(mode: Mode, file_licences: Mapping[str, str | None],
               account_licences: Iterable[str]) -> ApplyPlan:
    """``file_licences`` maps each licence in the file to its special keyword (or None).

    Replace: every licence of every account touched by the file ends with exactly the file's
    stations (none when absent from the file), except NOCHANGE licences, which keep theirs.
    Append: the file's stations are added. NOSTATIONS empties its licence in both modes.
    """
    keep = frozenset(lic for lic, special in file_licences.items() if special == NOCHANGE)
    emptied = frozenset(lic for lic, special in file_licences.items() if special == NOSTATIONS)
    insert = frozenset(lic for lic, special in file_licences.items() if special is None)
    if mode is Mode.APPEND:
        return ApplyPlan(clear=emptied, insert=insert, keep=keep)
    touched = (set(account_licences) | set(file_licences)) - keep
    return ApplyPlan(clear=frozenset(touched), insert=insert, keep=keep)


@dataclass(frozen=True)
class Progress:
    """How far an upload is, for people waiting on it: rows checked, rows applied (written to
    the site-data store as they are checked), and a percentage of the whole."""

    phase: str  # waiting | checking | applying | done
    rows_checked: int
    rows_applied: int
    percent: int


def progress_of(stage: str, size: int, checked_bytes: int, checked_rows: int,
                applied_rows: int, records: int) -> Progress:
    if stage in ENDED:
        return Progress("done", records, applied_rows if stage == Stage.APPLIED else 0, 100)
    if stage == Stage.VALIDATED:
        return Progress("applying", records, applied_rows, 99)
    if checked_bytes <= 0:
        return Progress("waiting", 0, 0, 0)
    share = min(checked_bytes / size, 1.0) if size else 1.0
    return Progress("checking", checked_rows, applied_rows, min(int(share * 98), 98))


def first_applicable(pending: list[tuple[str, str, frozenset[str]]]) -> str | None:
    """Pick the next upload to apply, in order of receipt.

    ``pending`` lists (upload id, stage, accounts) of every unfinished upload, oldest first. For
    a validated upload ``accounts`` are the accounts its file touches; for one still validating
    they are every account its profile could upload for (a file can touch no other, or it is
    rejected). An upload is applied once validated and when no earlier unfinished upload may
    touch any of its accounts, so validation runs in parallel and applying keeps the order of
    receipt wherever two uploads could meet.
    """
    blocked: set[str] = set()
    for upload_id, stage, accounts in pending:
        if stage == Stage.VALIDATED and not (accounts & blocked):
            return upload_id
        blocked |= accounts
    return None
