"""What approving a subordinate licence does: a new licence tied to its primary (5.6.3)."""

from __future__ import annotations

from datetime import date

from services.licensing.domain.blocks import parse_block, show
from services.licensing.domain.dates import subordinate_expiry
from services.licensing.domain.families import subordinate
from services.licensing.handlers.families.common import chosen, held_licence
from services.licensing.handlers.invoices import issue_issuance
from services.licensing.handlers.plugin import Approval, ApprovalRequest, Family
from services.licensing.handlers.registry import NewLicence, grant_licence, new_licence_number
from services.licensing.handlers.transfers import publish_decision


async def approve(req: ApprovalRequest) -> Approval:
    part1 = req.draft["part1"]
    other = str(req.application.other_account_number)
    lines, partial = chosen(list(part1["licences"]), "primary_licence",
                            req.decision.licence_numbers)
    issued: list[str] = []
    for line in lines:
        primary = await held_licence(req.uow, str(line["primary_licence"]),
                                     req.application.account_number)
        block = parse_block(str(line["frequency_range"]))
        assert block is not None  # validated at submission
        number = await new_licence_number(req.uow.session)
        await grant_licence(req.uow, NewLicence(
            number, other, "spectrum", "Granted", req.today,
            subordinate_expiry(date.fromisoformat(str(line["expires_on"])), primary.expires_on),
            service=primary.service, site_data_required=primary.site_data_required,
            site_data_from=req.today if primary.site_data_required else None,
            service_area=str(line.get("geographic_area") or primary.service_area),
            frequency_blocks=[show(block)], commercial_mobile=primary.commercial_mobile,
            primary_licence=primary.licence_number,
            conditions=[f"Subordinate to licence {primary.licence_number}; neither "
                        "transferable nor divisible.", *req.decision.conditions],
            details={"fee_key": "spectrum:subordinate"}))
        issued.append(number)
    invoice = await issue_issuance(req.uow, req.billing, other,
                                   [(n, "spectrum:subordinate") for n in issued], req.today)
    return Approval(issued, partial, {"invoice": invoice})


FAMILY = Family(subordinate.SPEC, approve, on_decided=publish_decision)
