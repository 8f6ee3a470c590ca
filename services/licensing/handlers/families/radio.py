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


def _system_details(row: dict[str, Any], main: str) -> dict[str, Any]:
    """One other station of the radio system (a row of the ``system`` section)."""
    kind = str(row["station_type"])
    return {"station_type": kind, "form": radio.FORMS[kind],
            "station_count": int(float(row.get("station_count", 1))),
            "frequencies_mhz": radio.frequencies_of(row.get("frequencies")) or [],
            "erp_watts": float(row["erp_watts"]), "equipment": row["equipment_certification"],
            "location": {"civic_address": row["civic_address"]} if row.get("civic_address")
            else {}, "fee_key": f"radio:{kind}", "radio_system": main}


async def _grant(req: ApprovalRequest, details: dict[str, Any]) -> str:
    number = await new_licence_number(req.uow.session)
    await grant_licence(req.uow, NewLicence(
        number, req.application.account_number, "radio", "Granted", req.today,
        fiscal_year_end(req.today),
        service=f"{details['station_type'].capitalize()} station ({details['form']})",
        conditions=list(req.decision.conditions), details=details))
    return number


async def _system_stations(req: ApprovalRequest, main: str) -> list[tuple[str, str]]:
    """A licence for each other station of the system, tied to the main station's; returns
    (licence number, fee key) pairs."""
    rows = req.draft.get("system", {}).get("stations") or []
    granted = []
    for row in rows:
        details = _system_details(dict(row), main)
        granted.append((await _grant(req, details), str(details["fee_key"])))
    return granted


async def approve(req: ApprovalRequest) -> Approval:
    app, today = req.application, req.today
    details = _details(req)
    station = req.draft["station"]
    outcome: dict[str, Any] = {}
    if station.get("purpose") == "modification":
        number = str(station["licence_number"])
        row = await held_licence(req.uow, number, app.account_number)
        await change_licence(req.uow, number, "modified", details={**dict(row.details), **details},
                             conditions=list(row.conditions) + list(req.decision.conditions))
        outcome["modifications"] = station.get("modifications", [])
        billed = await _system_stations(req, number)
    else:
        number = await _grant(req, details)
        billed = [(number, str(details["fee_key"])), *await _system_stations(req, number)]
    if billed:
        outcome["invoice"] = await issue_issuance(req.uow, req.billing, app.account_number,
                                                  billed, today)
    added = [n for n, _ in billed if n != number]
    if added:
        outcome["system_stations"] = added
    return Approval([number, *added], outcome=outcome)


FAMILY = Family(radio.SPEC, approve)
