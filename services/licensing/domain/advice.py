"""Requests for informal, non-binding advice before a transfer agreement (CPC-2-1-23 5.6.2
xiii): what a request says, and the moves of its short life. Confidential: nothing of a
request is ever published."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.errors import ConflictError, DomainError

KINDS = ("transfer", "deemed", "prospective", "subordinate")
OPEN, ANSWERED, DECLINED, WITHDRAWN = "Open", "Answered", "Declined", "Withdrawn"
STATUSES = (OPEN, ANSWERED, DECLINED, WITHDRAWN)
NOT_BINDING = ("This advice is informal and not binding: any transfer still needs its "
               "application and ISED's decision (CPC-2-1-23 5.6.2 xiii).")


@dataclass(frozen=True)
class AdviceRequest:
    account_number: str
    kind: str
    other_party: str
    licence_numbers: tuple[str, ...]
    description: str
    questions: str


def _text(values: Mapping[str, Any], name: str, limit: int) -> str:
    text = str(values.get(name) or "").strip()
    if not text:
        raise DomainError("ADV-REQUIRED", "This field is required.", field=name, status=422)
    if len(text) > limit:
        raise DomainError("ADV-TOO-LONG", f"At most {limit} characters.", field=name,
                          status=422)
    return text


def licence_list(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value if isinstance(
        value, list) else []
    return tuple(dict.fromkeys(str(n).strip() for n in items if str(n).strip()))


def parse(values: Mapping[str, Any]) -> AdviceRequest:
    """A request from what the requester typed; the first missing or wrong field is refused."""
    kind = str(values.get("kind") or "")
    if kind not in KINDS:
        raise DomainError("ADV-KIND", "Choose what the agreement would be.", field="kind",
                          status=422, fix="One of: " + ", ".join(KINDS) + ".")
    numbers = licence_list(values.get("licence_numbers"))
    if len(numbers) > 50 or any(not (n.isdigit() and len(n) == 9) for n in numbers):
        raise DomainError("ADV-LICENCES", "List the licence numbers (nine digits each), "
                          "separated by commas.", field="licence_numbers", status=422)
    return AdviceRequest(_text(values, "account_number", 20), kind,
                         _text(values, "other_party", 200), numbers,
                         _text(values, "description", 10000), _text(values, "questions", 5000))


def require_open(status: str) -> None:
    if status != OPEN:
        raise ConflictError("ADV-CLOSED", f"This request is {status.lower()}.",
                            fix="Make a new request if you need more advice.")
