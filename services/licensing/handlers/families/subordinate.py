"""What approving a subordinate licence does: a new licence tied to its primary, or the
joint renewal of one (5.6.3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.licensing.domain.blocks import parse_block, show
from services.licensing.domain.dates import subordinate_expiry
from services.licensing.domain.families import subordinate
from services.licensing.domain.renewals import require_renewable
from services.licensing.handlers.families.common import chosen, held_licence
from services.licensing.handlers.invoices import issue_issuance
from services.licensing.handlers.plugin import Approval, ApprovalRequest, Family
from services.licensing.handlers.registry import (
    NewLicence,
    change_licence,
    grant_licence,
    licence_row,
    new_licence_number,
)
from services.licensing.handlers.transfers import publish_decision
from shared.errors import ConflictError


async def _issue(req: ApprovalRequest, primary: Any, line: dict[str, Any], other: str) -> str:
    """A new subordinate licence: it ends at the earliest of the term asked for and the
    primary's (one asking for longer is issued to the primary's expiry, 5.6.3 iii)."""
    block = parse_block(str(line["frequency_range"]))
    assert block is not None  # validated at submission
    asked = date.fromisoformat(str(line["expires_on"]))
    area = str(line.get("geographic_area") or primary.service_area)
    excluded = dict(primary.details or {}).get("excluded_areas", []) \
        if area == primary.service_area else []
    number = await new_licence_number(req.uow.session)
    await grant_licence(req.uow, NewLicence(
        number, other, "spectrum", "Granted", req.today,
        subordinate_expiry(asked, primary.expires_on),
        service=primary.service, site_data_required=primary.site_data_required,
        site_data_from=req.today if primary.site_data_required else None,
        service_area=area, frequency_blocks=[show(block)],
        primary_licence=primary.licence_number,
        conditions=[f"Subordinate to licence {primary.licence_number}; neither "
                    "transferable nor divisible.", *req.decision.conditions],
        details={"fee_key": "spectrum:subordinate", "requested_expiry": asked.isoformat(),
                 **({"excluded_areas": excluded} if excluded else {})}))
    return number


async def _renew(req: ApprovalRequest, primary: Any, line: dict[str, Any], other: str) -> str:
    """A joint renewal request of both parties (5.6.3 xiv): the subordinate licence gets the
    term asked for, never beyond the primary's."""
    sub = await licence_row(req.uow.session, str(line["renew_licence"]))
    held_by_other = sub.account_number == other and sub.primary_licence == primary.licence_number
    if not held_by_other or sub.status not in ("Granted", "Expired"):
        raise ConflictError("APP-LICENCE-CHANGED", f"Licence {sub.licence_number} is no longer "
                            f"a subordinate licence of {primary.licence_number} held by "
                            f"account {other} that can be renewed.",
                            fix="Deny the application.")
    require_renewable(sub.licence_number, sub.expires_on, req.today,
                      req.settings.renewal_window_days)
    asked = date.fromisoformat(str(line["expires_on"]))
    await change_licence(req.uow, sub.licence_number, "renewed", status="Granted",
                         status_reason="", expires_on=subordinate_expiry(
                             asked, primary.expires_on),
                         details={**dict(sub.details or {}),
                                  "requested_expiry": asked.isoformat()},
                         conditions=list(sub.conditions or []) + list(req.decision.conditions))
    return str(sub.licence_number)


async def approve(req: ApprovalRequest) -> Approval:
    part1 = req.draft["part1"]
    other = str(req.application.other_account_number)
    lines, partial = chosen(list(part1["licences"]), "primary_licence",
                            req.decision.licence_numbers)
    issued: list[str] = []
    renewed: list[str] = []
    for line in lines:
        primary = await held_licence(req.uow, str(line["primary_licence"]),
                                     req.application.account_number)
        if line.get("renew_licence"):
            renewed.append(await _renew(req, primary, line, other))
        else:
            issued.append(await _issue(req, primary, line, other))
    invoice = await issue_issuance(req.uow, req.billing, other,
                                   [(n, "spectrum:subordinate") for n in issued], req.today)
    outcome: dict[str, Any] = {"invoice": invoice}
    if renewed:
        outcome["renewed"] = renewed
    return Approval(issued + renewed, partial, outcome)


FAMILY = Family(subordinate.SPEC, approve, on_decided=publish_decision)
