"""What approving a transfer, division, deemed or prospective transfer does (5.6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.licensing.domain.applications.framework import Draft
from services.licensing.domain.blocks import parse_block, show, subtract
from services.licensing.domain.dates import prospective_breach_on
from services.licensing.domain.families import transfer
from services.licensing.handlers.families.common import chosen, held_licence
from services.licensing.handlers.plugin import Approval, ApprovalRequest, Family
from services.licensing.handlers.registry import (
    NewLicence,
    change_licence,
    grant_licence,
    new_licence_number,
)
from services.licensing.handlers.transfers import publish_decision

DEEMED_APPROVED = ("The licence remains valid, accounting for the change in control of the "
                   "licence or of the licensee (5.6.4.3).")
DEEMED_DENIED = ("The deemed transfer is not approved: implementing it is a breach of the "
                 "conditions of licence (5.6.4.3).")


async def _divide(req: ApprovalRequest, row: Any, line: dict[str, Any], other: str) -> str:
    """A new licence for the transferee, for the remaining term; the original shrinks."""
    scope = line["scope"]
    blocks = list(row.frequency_blocks or [])
    area = row.service_area
    original: dict[str, Any] = {}
    if scope == "bandwidth":
        taken = parse_block(str(line["block"]))
        assert taken is not None  # validated at submission
        blocks = [show(taken)]
        held = [b for b in map(parse_block, row.frequency_blocks or []) if b]
        original["frequency_blocks"] = [show(b) for b in subtract(held, taken)]
    else:
        area = str(line["area_code"])
        original["details"] = {**dict(row.details or {}),
                               "excluded_areas": [*dict(row.details or {}).get(
                                   "excluded_areas", []), area]}
    number = await new_licence_number(req.uow.session)
    await grant_licence(req.uow, NewLicence(
        number, other, "spectrum", "Granted", req.today, row.expires_on, service=row.service,
        site_data_required=row.site_data_required, site_data_from=row.site_data_from,
        service_area=area, frequency_blocks=blocks, commercial_mobile=row.commercial_mobile,
        conditions=list(row.conditions or []) + list(req.decision.conditions),
        details={"divided_from": row.licence_number, "fee_key": "spectrum:transferred"}),
        change="divided")
    await change_licence(req.uow, row.licence_number, "divided", **original)
    return number


async def approve(req: ApprovalRequest) -> Approval:
    part1 = req.draft["part1"]
    kind, other = part1["kind"], str(req.application.other_account_number)
    lines, partial = chosen(list(part1["licences"]), "licence_number",
                            req.decision.licence_numbers)
    numbers = [str(line["licence_number"]) for line in lines]
    if kind == "deemed":
        return Approval(numbers, partial, {"confirmation": DEEMED_APPROVED})
    if kind == "prospective":  # a verdict only; the later transfer is a separate application
        return Approval(numbers, partial, {"verdict": "meets"})
    issued: list[str] = []
    for line in lines:
        row = await held_licence(req.uow, str(line["licence_number"]),
                                 req.application.account_number)
        if line["scope"] == "whole":
            await change_licence(req.uow, row.licence_number, "transferred", account_number=other,
                                 conditions=list(row.conditions or [])
                                 + list(req.decision.conditions))
            issued.append(row.licence_number)
        else:
            issued.append(await _divide(req, row, line, other))
    return Approval(issued, partial, {"transferred": numbers})


def on_denial(draft: Draft, today: date) -> dict[str, Any]:
    kind = draft.get("part1", {}).get("kind")
    if kind == "prospective":
        return {"verdict": "does not meet",
                "breach_after": prospective_breach_on(today).isoformat()}
    if kind == "deemed":
        return {"confirmation": DEEMED_DENIED}
    return {}


FAMILY = Family(transfer.SPEC, approve, on_denial, on_decided=publish_decision)
