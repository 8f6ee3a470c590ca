"""What a web profile may do for an account: view, prepare, submit, upload."""

from __future__ import annotations

from collections.abc import Iterable

from shared.errors import DomainError

VIEW, PREPARE, SUBMIT, UPLOAD = "view", "prepare", "submit", "upload"
ALL_RIGHTS = (PREPARE, SUBMIT, UPLOAD, VIEW)
OWNER, AGENT, SUBUSER = "owner", "agent", "subuser"


def normalise(rights: Iterable[str]) -> list[str]:
    """Every right includes viewing; submitting includes preparing. Preparing without the
    right to submit is allowed (beyond the seed)."""
    wanted = set(rights)
    unknown = wanted - set(ALL_RIGHTS)
    if unknown:
        raise DomainError("ID-RIGHTS-UNKNOWN", "Unknown rights: " + ", ".join(sorted(unknown))
                          + ".", field="rights", fix="Use view, prepare, submit or upload.")
    wanted.add(VIEW)
    if SUBMIT in wanted:
        wanted.add(PREPARE)
    return sorted(wanted)


def parse(stored: str) -> list[str]:
    return [r for r in stored.split(",") if r]
