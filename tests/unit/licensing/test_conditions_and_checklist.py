"""Standard conditions from the band's template (CPC-2-1-23 5.13), the officer's review
checklist (RSP-101 section 5) and the stations of one radio system."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.licensing.domain import conditions
from services.licensing.domain.applications import checklist as cl
from services.licensing.domain.applications.framework import Context, validate
from services.licensing.domain.families import radio
from shared.errors import ConflictError, DomainError

STANDARD = ["eligibility", "safety_code_6", "antenna_marking", "cpc_2_0_03", "boundary",
            "international", "interference", "technical_information", "spectrum_policies",
            "transfers"]


def test_a_commercial_mobile_band_adds_roaming_and_roll_out() -> None:
    template = conditions.shipped().template((1710.0, 1720.0), "en")
    assert template.band == "AWS-1"
    assert list(template.codes) == [*STANDARD, "cpc_2_0_17", "rollout"]
    assert "Safety Code 6" in template.texts[1] and "Transport Canada" in template.texts[2]
    assert "CPC-2-0-17" in template.texts[-2] and "within 5 years" in template.texts[-1]


def test_the_licence_language_words_the_conditions() -> None:
    french = conditions.shipped().template((3650.0, 3660.0), "fr")
    assert french.band == "3650 MHz (WBS)"
    assert "cpc_2_0_17" not in french.codes  # not commercial mobile: no roaming condition
    assert french.texts[0].startswith("Admissibilité") and "dans les 3 ans" in french.texts[-1]


def test_a_block_in_no_listed_band_gets_the_standard_conditions() -> None:
    template = conditions.shipped().template((5000.0, 5010.0), "en")
    assert template.band == conditions.STANDARD and list(template.codes) == STANDARD
    straddling = conditions.shipped().template((1750.0, 1760.0), "en")  # AWS-1 and AWS-3
    assert straddling.band == conditions.STANDARD


def test_a_template_must_name_written_conditions() -> None:
    with pytest.raises(ValueError, match="roaming"):
        conditions.ConditionTemplates.parse({"conditions": {}, "standard": ["roaming"]})


def test_the_checklist_is_a_defined_list() -> None:
    assert cl.checked_entries({"eligibility": "passed", "cpc_2_0_03": "not_applicable"})
    for entries, code in (({"eligibility": "done"}, "APP-CHECKLIST-VALUE"),
                          ({"eligibility": "not_applicable"}, "APP-CHECKLIST-VALUE"),
                          ({"coffee": "passed"}, "APP-CHECKLIST-ITEM"),
                          ({}, "APP-CHECKLIST-EMPTY")):
        with pytest.raises(DomainError) as refused:
            cl.checked_entries(entries)
        assert refused.value.code == code and refused.value.status == 422


def test_an_approval_waits_for_every_required_step() -> None:
    required = ("eligibility", "emc", "frequency_coordination")
    assert cl.outstanding(required, {"eligibility": "passed", "emc": "failed"}) == [
        "emc", "frequency_coordination"]
    with pytest.raises(ConflictError) as refused:
        cl.require_complete(required, {"eligibility": "passed"})
    assert "electromagnetic compatibility" in refused.value.message
    cl.require_complete(required, {"eligibility": "passed", "emc": "passed",
                                   "frequency_coordination": "not_applicable"})


def draft(kind: str, mhz: float, system: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"station": {"station_type": kind}, "technical": {"frequencies": [{"mhz": mhz}]},
            "system": {"stations": system or []}}


@pytest.mark.parametrize(("kind", "mhz", "raised"), [
    ("land", 150.5, True), ("mobile", 450.0, True), ("land", 100.0, True),
    ("land", 806.5, False), ("land", 99.9, False), ("aircraft", 150.0, False),
])
def test_land_mobile_in_100_to_500_mhz_raises_the_redeployment_plan(
        kind: str, mhz: float, raised: bool) -> None:
    items = radio.review_items(draft(kind, mhz))
    assert ("redeployment_plan" in items) is raised
    assert items[:2] == ("eligibility", "cpc_2_0_03") and items[-1] == "frequency_coordination"


def test_a_mobile_of_the_system_raises_it_too() -> None:
    mobiles = [{"station_type": "mobile", "frequencies": "155.25 156.0"}]
    assert "redeployment_plan" in radio.review_items(draft("land", 806.5, mobiles))


SYSTEM_OK = {"station_type": "mobile", "station_count": "10", "frequencies": "150.5 155.25",
             "erp_watts": "5", "equipment_certification": "109AB-XPR7550"}


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"frequencies": "150.5 abc"}, "frequencies", "RAD-SYSTEM-FREQUENCIES"),
    ({"frequencies": "1200"}, "frequencies", "RAD-SYSTEM-FREQUENCIES"),
    ({"frequencies": "450.5"}, "frequencies", "RAD-EQUIPMENT-RANGE"),
    ({"equipment_certification": "UNCERT-PROTO-1"}, "equipment_certification",
     "RAD-SYSTEM-EQUIPMENT"),
    ({"station_type": "land"}, "civic_address", "APP-REQUIRED"),
    ({"station_type": "ship"}, "station_type", "APP-CHOICE"),
    ({"station_count": "0"}, "station_count", "APP-RANGE"),
])
def test_each_station_of_the_system_is_checked(change: dict[str, str], field: str,
                                               code: str) -> None:
    ctx = Context(today=date(2026, 12, 1), account_number="100000001")
    found = {(i.field, i.code) for i in validate(radio.SPEC, {"system": {"stations": [
        SYSTEM_OK, {**SYSTEM_OK, **change}]}}, ctx) if i.section == "system"}
    assert found == {(f"stations[1].{field}", code)}


def test_a_malformed_draft_still_has_a_checklist() -> None:
    assert "redeployment_plan" not in radio.review_items(
        {"technical": {"frequencies": 5}, "system": {"stations": "x"}})
