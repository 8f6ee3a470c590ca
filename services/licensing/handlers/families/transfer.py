"""What approving a transfer, division, deemed or prospective transfer does (5.6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from services.licensing.adapters import tables as t
from services.licensing.adapters.areas import area_tree
from services.licensing.domain.applications.framework import Draft
from services.licensing.domain.blocks import overlaps, parse_block, show, subtract
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
from shared.errors import ConflictError

DEEMED_APPROVED = ("The licence remains valid, accounting for the change in control of the "
                   "licence or of the licensee (5.6.4.3).")
DEEMED_DENIED = ("The deemed transfer is not approved: implementing it is a breach of the "
                 "conditions of licence (5.6.4.3).")


async def _not_sublicensed(req: ApprovalRequest, row: Any, line: dict[str, Any]) -> None:
    """A part of a licence held by a subordinate licensee is not divided off: the subordinate
    licence would exceed its primary (5.6.3 i)."""
    tree = await area_tree(req.uow.session)
    taken = parse_block(str(line.get("block"))) if line["scope"] == "bandwidth" else None
    subs = await req.uow.session.execute(select(t.licences).where(
        t.licences.c.primary_licence == row.licence_number,
        t.licences.c.status.in_(("Granted", "Suspended"))))
    for sub in subs:
        if taken is not None:
            clash = any(b is not None and overlaps(b, taken)
                        for b in map(parse_block, sub.frequency_blocks or []))
        else:
            clash = tree.touches(sub.service_area, dict(sub.details or {}).get(
                "excluded_areas", []), str(line["area_code"]))
        if clash:
            raise ConflictError("TRF-SUBORDINATE-PART", f"Subordinate licence "
                                f"{sub.licence_number} uses part of what would be divided off "
                                f"licence {row.licence_number}.", fix="Deny the application, "
                                "or end or renew the subordinate licence differently first.")


async def _divide(req: ApprovalRequest, row: Any, line: dict[str, Any], other: str) -> str:
    """A new licence for the transferee, for the remaining term; the original shrinks."""
    await _not_sublicensed(req, row, line)
    scope = line["scope"]
    blocks = list(row.frequency_blocks or [])
    area = row.service_area
    excluded = list(dict(row.details or {}).get("excluded_areas", []))
    original: dict[str, Any] = {}
    if scope == "bandwidth":  # the same area, less what the original no longer holds
        taken = parse_block(str(line["block"]))
        assert taken is not None  # validated at submission
        blocks = [show(taken)]
        held = [b for b in map(parse_block, row.frequency_blocks or []) if b]
        original["frequency_blocks"] = [show(b) for b in subtract(held, taken)]
    else:  # the area taken leaves the original, which keeps the rest
        area = str(line["area_code"])
        original["details"] = {**dict(row.details or {}), "excluded_areas": [*excluded, area]}
        excluded = []
    number = await new_licence_number(req.uow.session)
    await grant_licence(req.uow, NewLicence(
        number, other, "spectrum", "Granted", req.today, row.expires_on, service=row.service,
        site_data_required=row.site_data_required, site_data_from=row.site_data_from,
        service_area=area, frequency_blocks=blocks,
        conditions=list(row.conditions or []) + list(req.decision.conditions),
        details={"divided_from": row.licence_number, "fee_key": "spectrum:transferred",
                 **({"excluded_areas": excluded} if excluded else {})}),
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
