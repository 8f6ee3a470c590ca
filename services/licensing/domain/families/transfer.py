"""Transfer or division of spectrum licences (CPC-2-1-23 5.6, Annex A): a joint application."""

from __future__ import annotations

from services.licensing.domain.applications import documents as docs
from services.licensing.domain.applications.framework import (
    OTHER,
    Checks,
    Context,
    Draft,
    FamilySpec,
    Field,
    Issue,
    LicenceFact,
    Section,
)
from services.licensing.domain.blocks import parse_block, within
from services.licensing.domain.commercial_mobile import is_commercial_mobile
from services.licensing.domain.dates import prospective_filing_late

KINDS = ("transfer", "deemed", "prospective")
SCOPES = ("whole", "geographic", "bandwidth")


def _licence_row(c: Checks, ctx: Context) -> None:
    number = c.text("licence_number")
    scope = c.choice("scope", SCOPES)
    fact = ctx.licences.get(number)
    if number and (fact is None or fact.account_number != ctx.account_number):
        c.error("licence_number", "TRF-LICENCE", "This is not a licence of the account.")
        return
    if fact is None:
        return
    if fact.kind != "spectrum" or fact.status != "Granted":
        c.error("licence_number", "TRF-STATUS", "Only a granted spectrum licence is transferred.")
    if fact.primary_licence:
        c.error("licence_number", "TRF-SUBORDINATE", "A subordinate licence is neither "
                "transferable nor divisible (5.6.3 item 5).")
    if scope == "bandwidth":
        block = parse_block(c.text("block"))
        held = [b for b in (parse_block(x) for x in fact.frequency_blocks) if b]
        if block is None or not within(block, held):
            c.error("block", "TRF-BLOCK", "The block must lie within the licence's blocks: "
                    + (", ".join(fact.frequency_blocks) or "none on file") + ".")
    if scope == "geographic":
        area = c.text("area_code")
        if area:
            _check_division_area(c, ctx, fact, area)


def _check_division_area(c: Checks, ctx: Context, fact: LicenceFact, area: str) -> None:
    """A geographic division takes an area the licence holds, never the whole of it."""
    if area not in ctx.areas:
        c.error("area_code", "SPC-AREA", "This is not a service area code of the table.")
    elif area == fact.service_area:
        c.error("area_code", "TRF-AREA-WHOLE", "This is the licence's whole area: transfer "
                "the whole licence instead.")
    elif not ctx.areas.holds(fact.service_area, fact.excluded_areas, area):
        c.error("area_code", "TRF-AREA-NOT-HELD", "The licence holds "
                f"{ctx.areas.describe(fact.service_area, fact.excluded_areas)}: divide off "
                "an area inside it.")


def affiliates_of(section: object) -> list[str]:
    """The affiliates' client account numbers a party declares (5.6.1: control either way)."""
    value = section.get("affiliates") if isinstance(section, dict) else None
    items = value.split(",") if isinstance(value, str) else value if isinstance(
        value, list) else []
    return [str(a).strip() for a in items if str(a).strip()]


def check_affiliates(c: Checks, own: str | None) -> None:
    """Affiliates are other client accounts, by number (the concentration review counts their
    holdings with the party's)."""
    for account in affiliates_of(dict(c.data)):
        if not account.isdigit() or len(account) > 20 or account == own:
            c.error("affiliates", "TRF-AFFILIATES", "List the affiliates' client account "
                    "numbers (digits), separated by commas, not your own account.")
            return


def _part1(c: Checks, ctx: Context) -> None:
    c.text("licensee_name", max_len=200)
    c.text("address", max_len=500)
    kind = c.choice("kind", KINDS)
    other = c.text("transferee_account", max_len=20)
    if other and other == ctx.account_number:
        c.error("transferee_account", "TRF-SAME-PARTY", "The other party must be another "
                "client account.")
    rows = c.rows("licences")
    for i, row in enumerate(rows):
        _licence_row(c.sub("licences", i, row), ctx)
    if any(r.get("scope") == "geographic" for r in rows) and c.data.get("map_enclosed") \
            is not True:
        c.error("map_enclosed", "TRF-MAP", "A geographic division needs a map (Annex A 1.5).")
    docs.map_enclosed(c, ctx)
    c.day("proposed_date", required=kind != "prospective")
    if kind == "prospective":
        agreed = c.day("agreement_date")
        if agreed and prospective_filing_late(agreed, ctx.today):
            c.error("agreement_date", "TRF-PROSPECTIVE-LATE", "A prospective transfer must be "
                    "filed within 15 days of entering the agreement (5.6.4.4).")
    if any(is_commercial_mobile(ctx.licences[n].frequency_blocks) for n in
           (str(r.get("licence_number")) for r in rows) if n in ctx.licences):  # 5.6.4.1
        c.text("commercial_mobile_material", max_len=20000)
    check_affiliates(c, ctx.account_number)
    c.certified("authority")
    c.text("signer_name")
    c.text("signer_title")


def part2(c: Checks, ctx: Context) -> None:
    """Part 2 of Annex A / Annex D: completed and certified by the other party."""
    c.text("name", max_len=200)
    c.text("address", max_len=500)
    check_affiliates(c, ctx.other_account_number)
    for name in ("authority", "eligibility", "use_understood", "conditions_understood"):
        c.certified(name)
    c.text("signer_name")
    c.text("signer_title")


def _cross(draft: Draft, ctx: Context) -> list[Issue]:
    numbers = [str(r.get("licence_number")) for r in draft.get("part1", {}).get("licences", [])]
    if len(numbers) != len(set(numbers)):
        return [Issue("part1", "licences", "TRF-DUPLICATE", "A licence is listed twice.")]
    return []


def licences_named(draft: Draft) -> set[str]:
    rows = draft.get("part1", {}).get("licences")
    if not isinstance(rows, list):
        return set()
    named = {str(r.get("licence_number") or r.get("primary_licence") or "")
             for r in rows if isinstance(r, dict)}
    return {n for n in named if n}


def other_account(draft: Draft) -> str | None:
    part1 = draft.get("part1", {})
    value = part1.get("transferee_account") or part1.get("subordinate_account")
    return str(value).strip() or None if value else None


PART2_FIELDS = (Field("name"), Field("address", "textarea"), Field("affiliates", "list"),
                Field("authority", "check"),
                Field("eligibility", "check"), Field("use_understood", "check"),
                Field("conditions_understood", "check"), Field("signer_name"),
                Field("signer_title"))
SIGNATURE = (Field("authority", "check"), Field("signer_name"), Field("signer_title"))

SPEC = FamilySpec(
    name="transfer", title="Transfer or division of spectrum licences (Annex A)",
    office="spectrum", joint=True,
    sections=(Section("part1", "Part 1: existing licensee", _part1, fields=(
                  Field("licensee_name"), Field("address", "textarea"),
                  Field("kind", "choice", KINDS), Field("transferee_account"),
                  Field("licences", "rows", ("licence_number", "scope", "block", "area_code")),
                  Field("map_enclosed", "check"), Field("proposed_date", "date"),
                  Field("agreement_date", "date"),
                  Field("commercial_mobile_material", "textarea"), Field("affiliates", "list"),
                  *SIGNATURE)),
              Section("part2", "Part 2: proposed licensee", part2, party=OTHER,
                      fields=PART2_FIELDS)),
    cross_check=_cross, licences_named=licences_named, other_account=other_account)
