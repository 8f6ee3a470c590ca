"""Spectrum licence applications by first-come, first-served (CPC-2-1-23 Annex C, 5.12)."""

from __future__ import annotations

from services.licensing.domain.applications import documents as docs
from services.licensing.domain.applications.framework import (
    AccountFact,
    Checks,
    Context,
    Draft,
    FamilySpec,
    Field,
    Section,
)
from services.licensing.domain.blocks import parse_block
from services.licensing.domain.commercial_mobile import is_commercial_mobile
from services.licensing.domain.geography import AreaTree

CLASSIFICATIONS = ("Individual", "Corporation", "Partnership", "Joint Venture", "Other")
CERTIFICATIONS = ("eligibility", "antenna_marking", "cpc_2_0_03", "international_coordination",
                  "spectrum_policies", "authorized_representative")


def _applicant(c: Checks, _: Context) -> None:
    c.text("applicant_name", max_len=200)
    c.text("address", max_len=500)
    c.choice("language", ("en", "fr"))
    c.choice("classification", CLASSIFICATIONS)


def check_area(c: Checks, areas: AreaTree, area_field: str = "area_code",
               map_field: str = "map_enclosed") -> str:
    """A tier 1-5 service area code of the hierarchy, or a custom area with a map."""
    code = c.text(area_field, required=False)
    custom = c.text("custom_area", required=False, max_len=1000)
    if code and code not in areas:
        c.error(area_field, "SPC-AREA", "This is not a service area code of the reference table.")
    if not code and not custom:
        c.error(area_field, "SPC-AREA-REQUIRED", "Give a service area code or describe a "
                "custom area.")
    if custom and not code and c.data.get(map_field) is not True:
        c.error(map_field, "SPC-MAP", "A custom area needs a map.")
    return code or custom


def _spectrum(c: Checks, ctx: Context) -> None:
    for i, row in enumerate(c.rows("spectra")):
        r = c.sub("spectra", i, row)
        block = r.text("block")
        if block and parse_block(block) is None:
            r.error("block", "SPC-BLOCK", "Write the block as low-high in MHz, e.g. 3650-3700.")
        check_area(r, ctx.areas)
        docs.map_enclosed(r, ctx)


def _service(c: Checks, ctx: Context) -> None:
    c.text("nature_of_service", max_len=5000)
    rows = ctx.draft.get("spectrum", {}).get("spectra")
    blocks = [str(r.get("block")) for r in rows if isinstance(r, dict)] \
        if isinstance(rows, list) else []
    if is_commercial_mobile(blocks):  # commercial mobile spectrum (5.6.4.1), by its band
        c.text("ownership_and_control", max_len=5000)


def _certification(c: Checks, _: Context) -> None:
    for name in CERTIFICATIONS:
        c.certified(name)
    c.text("signer_name")


def _prefill(account: AccountFact) -> Draft:
    return {"applicant": {"applicant_name": account.legal_name, "language": account.language}}


SPEC = FamilySpec(
    name="spectrum", title="Spectrum licence (CPC-2-1-23 Annex C)", office="spectrum",
    sections=(Section("applicant", "Applicant", _applicant, fields=(
                  Field("applicant_name"), Field("address", "textarea"),
                  Field("language", "choice", ("en", "fr")),
                  Field("classification", "choice", CLASSIFICATIONS))),
              Section("spectrum", "Spectra and geographic areas", _spectrum, fields=(
                  Field("spectra", "rows", ("block", "area_code", "custom_area",
                                            "map_enclosed")),)),
              Section("service", "Nature of service", _service, fields=(
                  Field("nature_of_service", "textarea"),
                  Field("ownership_and_control", "textarea"))),
              Section("certification", "Consent and authority", _certification, fields=(
                  *(Field(name, "check") for name in CERTIFICATIONS), Field("signer_name")))),
    prefill=_prefill)
