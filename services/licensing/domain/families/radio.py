"""Radio licence applications (RSP-101): land, mobile, aircraft and ship stations."""

from __future__ import annotations

from services.licensing.domain.applications import checklist
from services.licensing.domain.applications import documents as docs
from services.licensing.domain.applications.framework import (
    Checks,
    Context,
    Draft,
    FamilySpec,
    Field,
    Issue,
    Section,
)
from services.licensing.domain.reference import find_equipment

FORMS = {"land": "IC-2365", "mobile": "IC-2366", "aircraft": "IC-2367", "ship": "IC-3020"}
MODIFICATIONS = ("location", "add_channels", "frequency", "erp", "antenna_filter",
                 "equipment", "mobile_centre")  # RSP-101 section 1.2
MAX_MHZ = 960.0
APPENDIX_B = ("functional_description", "modulation", "spectrum_requirements")
SYSTEM_TYPES = ("land", "mobile")  # the other stations of one land mobile system
SYSTEM_COLUMNS = ("station_type", "station_count", "frequencies", "erp_watts",
                  "equipment_certification", "civic_address")
REDEPLOYMENT_MHZ = (100.0, 500.0)  # RDP 100-500 MHz (RSP-101 5.2)


def _station(c: Checks, ctx: Context) -> None:
    c.choice("station_type", tuple(FORMS))
    purpose = c.choice("purpose", ("new", "modification"))
    c.number("station_count", low=1, high=500)
    if purpose == "modification":
        number = c.text("licence_number")
        kinds = c.data.get("modifications")
        if not isinstance(kinds, list) or not kinds or any(k not in MODIFICATIONS for k in kinds):
            c.error("modifications", "RAD-MODIFICATION",
                    "Choose the modifications from: " + ", ".join(MODIFICATIONS) + ".")
        fact = ctx.licences.get(number)
        if number and (fact is None or fact.kind != "radio"
                       or fact.account_number != ctx.account_number):
            c.error("licence_number", "RAD-LICENCE", "This is not a radio licence of the account.")


def _location(c: Checks, ctx: Context) -> None:
    kind = ctx.draft.get("station", {}).get("station_type")
    if kind in ("aircraft", "ship"):
        c.text("vessel_or_aircraft")
        return
    civic = c.text("civic_address", required=False)
    if not civic:
        lat = c.number("latitude", required=False, low=41.0, high=84.0)
        lon = c.number("longitude", required=False, low=-141.0, high=-52.0)
        if (lat is None or lon is None) and not docs.has(ctx, docs.MAP):
            c.error("civic_address", "RAD-LOCATION", "Without a civic address, give GPS "
                    "coordinates or upload a topographical map (RSP-101 3.3).")
    if c.data.get("multi_frequency_site") is True:
        docs.require(c, ctx, docs.ANTENNA_DIAGRAM, "antenna_diagram", "RAD-ANTENNA-DIAGRAM",
                     "A multi-frequency site needs a diagram of the antenna structure and "
                     "multi-coupling chains: upload it.")


def _technical(c: Checks, _: Context) -> None:
    frequencies = c.rows("frequencies")
    for i, row in enumerate(frequencies):
        c.sub("frequencies", i, row).number("mhz", low=0.009, high=MAX_MHZ)
    c.number("erp_watts", low=0.0, high=100000.0)
    c.number("bandwidth_khz", low=0.1, high=1000.0)
    c.text("emission_designator", max_len=12)
    number = c.text("equipment_certification")
    equipment = find_equipment(number) if number else None
    if number and equipment is None:
        c.error("equipment_certification", "RAD-EQUIPMENT-UNKNOWN", "This equipment is not on "
                "the radio equipment list; choose it from the list or mark it uncertified.")
    uncertified = c.data.get("uncertified") is True or (equipment is not None
                                                        and not equipment.certified)
    if uncertified:
        for name in APPENDIX_B:  # RSP-101 Appendix B
            c.text(name, max_len=5000)
    if equipment is not None:
        for i, row in enumerate(frequencies):
            mhz = _float(row.get("mhz"))
            if mhz is not None and mhz <= MAX_MHZ and not \
                    equipment.low_mhz <= mhz <= equipment.high_mhz:
                c.error(f"frequencies[{i}].mhz", "RAD-EQUIPMENT-RANGE",
                        f"The {equipment.model} works from {equipment.low_mhz:g} to "
                        f"{equipment.high_mhz:g} MHz.")


def _float(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


def frequencies_of(text: object) -> list[float] | None:
    """A system row's frequencies, e.g. ``150.5 155.25`` or ``150.5; 155.25`` (MHz)."""
    parts = str(text or "").replace(";", " ").split()
    values = [_float(p) for p in parts]
    return None if not parts or None in values else [v for v in values if v is not None]


def _system_row(c: Checks) -> None:
    kind = c.choice("station_type", SYSTEM_TYPES)
    c.number("station_count", low=1, high=500)
    mhz = frequencies_of(c.data.get("frequencies"))
    if mhz is None or not all(0.009 <= f <= MAX_MHZ for f in mhz):
        c.error("frequencies", "RAD-SYSTEM-FREQUENCIES", "List the station's frequencies in "
                f"MHz, below {MAX_MHZ:g}, separated by spaces (e.g. 150.5 155.25).")
        mhz = None
    c.number("erp_watts", low=0.0, high=100000.0)
    number = c.text("equipment_certification")
    equipment = find_equipment(number) if number else None
    if number and (equipment is None or not equipment.certified):
        c.error("equipment_certification", "RAD-SYSTEM-EQUIPMENT", "Choose certified "
                "equipment from the radio equipment list for the other stations of the "
                "system.")
    elif equipment is not None and mhz and not all(
            equipment.low_mhz <= f <= equipment.high_mhz for f in mhz):
        c.error("frequencies", "RAD-EQUIPMENT-RANGE", f"The {equipment.model} works from "
                f"{equipment.low_mhz:g} to {equipment.high_mhz:g} MHz.")
    if kind == "land":
        c.text("civic_address")


def _system(c: Checks, _: Context) -> None:
    """The other stations of the same radio system (RSP-101: a submission includes every
    associated station), e.g. the mobiles of a base station; one licence each."""
    for i, row in enumerate(c.rows("stations", required=False)):
        _system_row(c.sub("stations", i, row))


def _filer(c: Checks, ctx: Context) -> None:
    if c.data.get("third_party") is True:
        c.text("agent_name")
        docs.require(c, ctx, docs.POWER_OF_ATTORNEY, "power_of_attorney",
                     "RAD-POWER-OF-ATTORNEY", "An application filed by a third party needs "
                     "a power of attorney: upload it.")


def _attestation(c: Checks, _: Context) -> None:
    c.certified("true_and_correct")
    c.text("signer_name")


def _system_rows(draft: Draft) -> list[dict[str, object]]:
    rows = draft.get("system", {}).get("stations")
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _cross(draft: Draft, _: Context) -> list[Issue]:
    station = draft.get("station", {})
    fixed = station.get("station_type") == "land" or any(
        r.get("station_type") == "land" for r in _system_rows(draft))
    if fixed and draft.get("attestation", {}).get("cpc_2_0_03") is not True:
        return [Issue("attestation", "cpc_2_0_03", "RAD-CPC-2-0-03", "A fixed station needs the "
                      "CPC-2-0-03 antenna-system attestation (form IC-2430).")]
    return []


def _named(draft: Draft) -> set[str]:
    number = draft.get("station", {}).get("licence_number")
    return {str(number)} if number else set()


def review_items(draft: Draft) -> tuple[str, ...]:
    """RSP-101 section 5 for this application: the redeployment plan is raised when a land
    or mobile station of the system works in 100-500 MHz."""
    low, high = REDEPLOYMENT_MHZ
    rows = draft.get("technical", {}).get("frequencies")
    first = [_float(r.get("mhz")) for r in rows if isinstance(r, dict)] \
        if isinstance(rows, list) else []
    stations: list[tuple[object, list[float | None]]] = [
        (draft.get("station", {}).get("station_type"), first)]
    stations += [(r.get("station_type"), list(frequencies_of(r.get("frequencies")) or []))
                 for r in _system_rows(draft)]
    raised = any(kind in SYSTEM_TYPES and any(f is not None and low <= f <= high for f in mhz)
                 for kind, mhz in stations)
    return checklist.RADIO[:2] + (("redeployment_plan",) if raised else ()) + \
        checklist.RADIO[2:]


SPEC = FamilySpec(
    name="radio", title="Radio licence (RSP-101)", office="radio",
    sections=(Section("station", "Station and purpose", _station, fields=(
                  Field("station_type", "choice", tuple(FORMS)),
                  Field("purpose", "choice", ("new", "modification")),
                  Field("station_count", "number"), Field("licence_number"),
                  Field("modifications", "list", MODIFICATIONS))),
              Section("location", "Location", _location, fields=(
                  Field("civic_address"), Field("latitude", "number"),
                  Field("longitude", "number"), Field("vessel_or_aircraft"),
                  Field("multi_frequency_site", "check"))),
              Section("technical", "Frequencies and equipment", _technical, fields=(
                  Field("frequencies", "rows", ("mhz",)), Field("erp_watts", "number"),
                  Field("bandwidth_khz", "number"), Field("emission_designator"),
                  Field("equipment_certification"), Field("uncertified", "check"),
                  *(Field(name, "textarea") for name in APPENDIX_B))),
              Section("system", "Other stations of the radio system", _system, fields=(
                  Field("stations", "rows", SYSTEM_COLUMNS),)),
              Section("filer", "Who files", _filer, fields=(
                  Field("third_party", "check"), Field("agent_name"))),
              Section("attestation", "Attestation", _attestation, fields=(
                  Field("cpc_2_0_03", "check"), Field("true_and_correct", "check"),
                  Field("signer_name")))),
    cross_check=_cross, licences_named=_named, review_items=review_items)
