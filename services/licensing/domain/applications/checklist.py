"""The officer's review checklist: a defined list of steps (RSP-101 section 5), each recorded
as passed, failed or not applicable. A family says which steps its application needs
(``FamilySpec.review_items``); an approval waits until every one of them is done."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.errors import ConflictError, DomainError

PASSED, FAILED, NOT_APPLICABLE = "passed", "failed", "not_applicable"
VALUES = (PASSED, FAILED, NOT_APPLICABLE)


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    may_not_apply: bool  # "where relevant" in RSP-101: not applicable is an answer


ITEMS = (
    Item("eligibility", "Verification and eligibility of the applicant", False),
    Item("cpc_2_0_03", "Conformity with CPC-2-0-03 (antenna systems)", True),
    Item("redeployment_plan", "Conformity with the frequency redeployment plan "
         "(RDP 100-500 MHz)", False),
    Item("emc", "Technical review of electromagnetic compatibility", False),
    Item("frequency_coordination", "Frequency coordination", True),
)
BY_KEY = {i.key: i for i in ITEMS}
RADIO = ("eligibility", "cpc_2_0_03", "emc", "frequency_coordination")


def checked_entries(entries: Mapping[str, str]) -> dict[str, str]:
    """The entries to record: known steps with known values, else a 422 naming the step."""
    if not entries:
        raise DomainError("APP-CHECKLIST-EMPTY", "Record at least one review step.",
                          field="items", status=422)
    for key, value in entries.items():
        item = BY_KEY.get(key)
        if item is None:
            raise DomainError("APP-CHECKLIST-ITEM", f"{key!r} is not a step of the review "
                              "checklist.", field="items", status=422,
                              fix="Use one of: " + ", ".join(BY_KEY) + ".")
        if value not in VALUES or (value == NOT_APPLICABLE and not item.may_not_apply):
            allowed = VALUES if item.may_not_apply else (PASSED, FAILED)
            raise DomainError("APP-CHECKLIST-VALUE", f"{item.title}: record one of "
                              + ", ".join(allowed) + ".", field=f"items.{key}", status=422)
    return dict(entries)


def outstanding(required: tuple[str, ...], recorded: Mapping[str, str]) -> list[str]:
    """The required steps not (yet) passed or found not applicable."""
    return [k for k in required if recorded.get(k) not in (PASSED, NOT_APPLICABLE)]


def require_complete(required: tuple[str, ...], recorded: Mapping[str, str]) -> None:
    """Refuse an approval while a required step is open or failed (409, naming them)."""
    missing = outstanding(required, recorded)
    if missing:
        titles = "; ".join(BY_KEY[k].title for k in missing)
        raise ConflictError("APP-CHECKLIST-INCOMPLETE", "The review checklist is not "
                            f"complete: {titles}.", fix="Record each step as passed (or not "
                            "applicable where it may be), or deny the application.")
