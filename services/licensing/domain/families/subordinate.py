"""Subordinate licences (CPC-2-1-23 5.6.3, Annex D): joint, never beyond the primary."""

from __future__ import annotations

from services.licensing.domain.applications import documents as docs
from services.licensing.domain.applications.framework import (
    OTHER,
    Checks,
    Context,
    FamilySpec,
    Field,
    Section,
)
from services.licensing.domain.blocks import parse_block, within
from services.licensing.domain.families.transfer import (
    PART2_FIELDS,
    SIGNATURE,
    check_affiliates,
    licences_named,
    other_account,
    part2,
)
from services.licensing.domain.reference import service_areas


def _row(c: Checks, ctx: Context) -> None:
    number = c.text("primary_licence")
    expires = c.day("expires_on")
    block = parse_block(c.text("frequency_range"))
    area = c.text("geographic_area")
    fact = ctx.licences.get(number)
    if number and (fact is None or fact.account_number != ctx.account_number):
        c.error("primary_licence", "SUB-PRIMARY", "This is not a licence of the account.")
        return
    if fact is None:
        return
    if fact.kind != "spectrum" or fact.status != "Granted" or fact.primary_licence:
        c.error("primary_licence", "SUB-PRIMARY-KIND", "The primary must be a granted spectrum "
                "licence that is not itself subordinate.")
    if expires and expires > fact.expires_on:
        c.error("expires_on", "SUB-TERM", f"The term may not exceed the primary's: it ends "
                f"{fact.expires_on.isoformat()}.")
    if expires and expires <= ctx.today:
        c.error("expires_on", "SUB-PAST", "The expiry date must be in the future.")
    held = [b for b in (parse_block(x) for x in fact.frequency_blocks) if b]
    if block is None or not within(block, held):
        c.error("frequency_range", "SUB-RANGE", "The range must lie within the primary's "
                "blocks: " + (", ".join(fact.frequency_blocks) or "none on file") + ".")
    if area and area != fact.service_area:
        if area not in service_areas():
            c.error("geographic_area", "SPC-AREA", "This is not a service area code.")
        elif c.data.get("map_enclosed") is not True:
            c.error("map_enclosed", "SUB-MAP", "An area smaller than the primary's needs a map.")
    docs.map_enclosed(c, ctx)


def _part1(c: Checks, ctx: Context) -> None:
    c.text("licensee_name", max_len=200)
    c.text("address", max_len=500)
    other = c.text("subordinate_account", max_len=20)
    if other and other == ctx.account_number:
        c.error("subordinate_account", "SUB-SAME-PARTY", "The subordinate licensee must be "
                "another client account.")
    rows = c.rows("licences")
    for i, row in enumerate(rows):
        _row(c.sub("licences", i, row), ctx)
    if any(ctx.licences.get(str(r.get("primary_licence"))) is not None and ctx.licences[
            str(r.get("primary_licence"))].commercial_mobile for r in rows):
        c.text("commercial_mobile_material", max_len=20000)
    check_affiliates(c, ctx.account_number)
    c.day("proposed_issuance_date")
    c.certified("authority")
    c.text("signer_name")
    c.text("signer_title")


SPEC = FamilySpec(
    name="subordinate", title="Subordinate licence (Annex D)", office="spectrum", joint=True,
    sections=(Section("part1", "Part 1: primary licensee", _part1, fields=(
                  Field("licensee_name"), Field("address", "textarea"),
                  Field("subordinate_account"),
                  Field("licences", "rows", ("primary_licence", "expires_on",
                                             "frequency_range", "geographic_area",
                                             "map_enclosed")),
                  Field("commercial_mobile_material", "textarea"), Field("affiliates", "list"),
                  Field("proposed_issuance_date", "date"), *SIGNATURE)),
              Section("part2", "Part 2: proposed subordinate licensee", part2, party=OTHER,
                      fields=PART2_FIELDS)),
    licences_named=licences_named, other_account=other_account)
