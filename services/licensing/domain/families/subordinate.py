"""Subordinate licences (CPC-2-1-23 5.6.3, Annex D): joint, never beyond the primary."""

from __future__ import annotations

from datetime import date

from services.licensing.domain.applications import documents as docs
from services.licensing.domain.applications.framework import (
    OTHER,
    Checks,
    Context,
    Draft,
    FamilySpec,
    Field,
    LicenceFact,
    Section,
)
from services.licensing.domain.blocks import parse_block, within
from services.licensing.domain.commercial_mobile import is_commercial_mobile
from services.licensing.domain.families.transfer import (
    PART2_FIELDS,
    SIGNATURE,
    check_affiliates,
    licences_named,
    other_account,
    part2,
)


def _row(c: Checks, ctx: Context) -> None:
    """One subordinate licence asked for, or (``renew_licence``) one to renew jointly."""
    number = c.text("primary_licence")
    expires = c.day("expires_on")
    renewing = c.text("renew_licence", required=False, max_len=9)
    block = None if renewing else parse_block(c.text("frequency_range"))
    area = "" if renewing else c.text("geographic_area")
    fact = ctx.licences.get(number)
    if number and (fact is None or fact.account_number != ctx.account_number):
        c.error("primary_licence", "SUB-PRIMARY", "This is not a licence of the account.")
        return
    if fact is None:
        return
    if fact.kind != "spectrum" or fact.status != "Granted" or fact.primary_licence:
        c.error("primary_licence", "SUB-PRIMARY-KIND", "The primary must be a granted spectrum "
                "licence that is not itself subordinate.")
    # a longer term than the primary's is not refused: it is issued to the primary's expiry
    if expires and expires <= ctx.today:
        c.error("expires_on", "SUB-PAST", "The expiry date must be in the future.")
    if renewing:
        _renewal(c, ctx, fact, renewing, expires)
        return
    held = [b for b in (parse_block(x) for x in fact.frequency_blocks) if b]
    if block is None or not within(block, held):
        c.error("frequency_range", "SUB-RANGE", "The range must lie within the primary's "
                "blocks: " + (", ".join(fact.frequency_blocks) or "none on file") + ".")
    if area and area != fact.service_area:
        if area not in ctx.areas:
            c.error("geographic_area", "SPC-AREA", "This is not a service area code.")
        elif not ctx.areas.holds(fact.service_area, fact.excluded_areas, area):
            c.error("geographic_area", "SUB-AREA", "The area must lie within the primary's: "
                    f"{ctx.areas.describe(fact.service_area, fact.excluded_areas)}.")
        elif c.data.get("map_enclosed") is not True:
            c.error("map_enclosed", "SUB-MAP", "An area smaller than the primary's needs a map.")
    docs.map_enclosed(c, ctx)


def _renewal(c: Checks, ctx: Context, primary: LicenceFact, number: str,
             expires: date | None) -> None:
    """A joint renewal request (5.6.3 xiv): a subordinate licence of this primary, held by
    the other party, for a later expiry."""
    sub = ctx.licences.get(number)
    if sub is None or sub.primary_licence != primary.licence_number \
            or sub.account_number != ctx.other_account_number:
        c.error("renew_licence", "SUB-RENEW-LICENCE", "This is not a subordinate licence of "
                "this primary held by the other party.")
        return
    if sub.status not in ("Granted", "Expired"):
        c.error("renew_licence", "SUB-RENEW-STATUS", f"Licence {number} is {sub.status}: it "
                "cannot be renewed.")
    if expires and expires <= sub.expires_on:
        c.error("expires_on", "SUB-RENEW-TERM", "Ask for a later expiry than the licence's "
                f"current one ({sub.expires_on.isoformat()}).")


def _named(draft: Draft) -> set[str]:
    rows = draft.get("part1", {}).get("licences")
    renewing = {str(r.get("renew_licence") or "") for r in rows if isinstance(r, dict)} \
        if isinstance(rows, list) else set()
    return licences_named(draft) | {n for n in renewing if n}


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
    if any(is_commercial_mobile(ctx.licences[n].frequency_blocks) for n in
           (str(r.get("primary_licence")) for r in rows) if n in ctx.licences):  # 5.6.4.1
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
                                             "map_enclosed", "renew_licence")),
                  Field("commercial_mobile_material", "textarea"), Field("affiliates", "list"),
                  Field("proposed_issuance_date", "date"), *SIGNATURE)),
              Section("part2", "Part 2: proposed subordinate licensee", part2, party=OTHER,
                      fields=PART2_FIELDS)),
    licences_named=_named, other_account=other_account)
