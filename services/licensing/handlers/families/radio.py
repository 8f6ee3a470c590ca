"""What approving a radio licence application does: a new or modified radio licence."""

from __future__ import annotations

from typing import Any

from services.licensing.domain.dates import fiscal_year_end
from services.licensing.domain.families import radio
from services.licensing.handlers.families.common import held_licence
from services.licensing.handlers.invoices import issue_issuance
from services.licensing.handlers.plugin import Approval, ApprovalRequest, Family
from services.licensing.handlers.registry import (
    NewLicence,
    change_licence,
    grant_licence,
    new_licence_number,
)


def _details(req: ApprovalRequest) -> dict[str, Any]:
    station, location = req.draft["station"], req.draft.get("location", {})
    technical = req.draft["technical"]
    kind = str(station["station_type"])
    return {"station_type": kind, "form": radio.FORMS[kind],
            "station_count": int(float(station.get("station_count", 1))),
            "frequencies_mhz": [float(r["mhz"]) for r in technical["frequencies"]],
            "erp_watts": float(technical["erp_watts"]),
            "bandwidth_khz": float(technical["bandwidth_khz"]),
            "emission_designator": technical["emission_designator"],
            "equipment": technical["equipment_certification"],
            "location": {k: location.get(k) for k in ("civic_address", "latitude", "longitude",
                                                      "vessel_or_aircraft") if location.get(k)},
            "fee_key": f"radio:{kind}"}


async def approve(req: ApprovalRequest) -> Approval:
    app, today = req.application, req.today
    details = _details(req)
    station = req.draft["station"]
    if station.get("purpose") == "modification":
        number = str(station["licence_number"])
        row = await held_licence(req.uow, number, app.account_number)
        await change_licence(req.uow, number, "modified", details={**dict(row.details), **details},
                             conditions=list(row.conditions) + list(req.decision.conditions))
        return Approval([number], outcome={"modifications": station.get("modifications", [])})
    number = await new_licence_number(req.uow.session)
    await grant_licence(req.uow, NewLicence(
        number, app.account_number, "radio", "Granted", today, fiscal_year_end(today),
        service=f"{details['station_type'].capitalize()} station ({details['form']})",
        conditions=list(req.decision.conditions), details=details))
    invoice = await issue_issuance(req.uow, req.billing, app.account_number,
                                   [(number, details["fee_key"])], today)
    return Approval([number], outcome={"invoice": invoice})


FAMILY = Family(radio.SPEC, approve)
