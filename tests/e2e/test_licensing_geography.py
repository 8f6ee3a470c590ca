"""Geography end to end: divisions, subordinate areas and first-come-first-served conflicts
work from the tier 1-5 hierarchy, and a division leaves the seller the rest, on the licence."""

from __future__ import annotations

from typing import Any

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.e2e.test_licensing_applications import SPECTRUM_OK
from tests.e2e.test_licensing_joint import PART2, licence, part1
from tests.support.licensing import (
    API,
    attach,
    decide,
    errors,
    holder_of_second_account,
    new_application,
    officer_and_licensee,
    save,
    submit,
)
from tests.support.portal import signin


async def _division(client: httpx.AsyncClient, who: dict[str, str],
                    lines: list[dict[str, Any]]) -> str:
    app_id = await new_application(client, who, "transfer")
    await save(client, who, app_id, {"part1": part1("transfer", lines, map_enclosed=True)})
    await attach(client, who, app_id, "map")
    return app_id


async def test_a_division_takes_only_what_the_seller_holds(system: EmbeddedSystem,
                                                           client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    # Northern Ontario (2-009) never held Vancouver (3-051)
    app_id = await _division(client, licensee, [
        {"licence_number": "010898104", "scope": "geographic", "area_code": "3-051"}])
    assert (await errors(client, licensee, app_id))["part1"] == {
        "licences[0].area_code": "TRF-AREA-NOT-HELD"}

    # Ottawa (3-013) out of Eastern Ontario and Outaouais (2-006)
    await save(client, licensee, app_id, {"part1": part1("transfer", [
        {"licence_number": "010898103", "scope": "geographic", "area_code": "3-013"}],
        map_enclosed=True)})
    await save(client, other, app_id, {"part2": PART2})
    await submit(client, licensee, app_id)
    unknown = await client.post(f"{API}/applications/{app_id}/decision", headers=officer,
                                json={"approve": True, "licence_numbers": ["999999999"]})
    assert unknown.status_code == 400 and unknown.json()["code"] == "APP-APPROVE-UNKNOWN"
    decided = await decide(client, officer, app_id, approve=True)
    bought = await licence(client, other, decided["licence_numbers"][0])
    assert (bought["service_area"], bought["excluded_areas"]) == ("3-013", [])
    kept = await licence(client, licensee, "010898103")
    assert (kept["service_area"], kept["excluded_areas"]) == ("2-006", ["3-013"])

    # what was divided off is no longer the seller's to divide or to sublicense
    again = await _division(client, licensee, [
        {"licence_number": "010898103", "scope": "geographic", "area_code": "4-038"}])
    assert (await errors(client, licensee, again))["part1"] == {
        "licences[0].area_code": "TRF-AREA-NOT-HELD"}
    # a bandwidth division of what is left keeps the area less its exclusions
    await save(client, licensee, again, {"part1": part1("transfer", [
        {"licence_number": "010898103", "scope": "bandwidth", "block": "1710-1715"}])})
    await save(client, other, again, {"part2": PART2})
    await submit(client, licensee, again)
    sliced = await licence(client, other, (await decide(client, officer, again, approve=True))[
        "licence_numbers"][0])
    assert (sliced["service_area"], sliced["excluded_areas"]) == ("2-006", ["3-013"])

    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    page = await client.get("/licensing/accounts/100000001")
    assert "Eastern Ontario and Outaouais (2-006) less Ottawa (3-013)" in page.text
    french = await client.get("/licensing/accounts/100000001", params={"lang": "fr"})
    assert "Eastern Ontario and Outaouais (2-006) moins Ottawa (3-013)" in french.text
    await system.settle()


async def test_subordinate_areas_and_first_come_first_served(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    app_id = await new_application(client, licensee, "subordinate")
    row = {"primary_licence": "010898101", "expires_on": "2029-03-31",
           "frequency_range": "1712-1714", "geographic_area": "3-051", "map_enclosed": True}
    base = {"licensee_name": "Northern Demo Wireless Inc.", "address": "1 Main St",
            "subordinate_account": "100000002", "proposed_issuance_date": "2026-12-01",
            "authority": True, "signer_name": "N. Owner", "signer_title": "President",
            "commercial_mobile_material": "Agreement summary."}
    await save(client, licensee, app_id, {"part1": {**base, "licences": [row]}})
    await attach(client, licensee, app_id, "map")
    assert (await errors(client, licensee, app_id))["part1"] == {
        "licences[0].geographic_area": "SUB-AREA"}  # Vancouver under an Ottawa licence
    await save(client, licensee, app_id, {"part1": {**base, "licences": [
        {**row, "geographic_area": "4-038"}]}})
    await save(client, other, app_id, {"part2": PART2})
    await submit(client, licensee, app_id)
    await decide(client, officer, app_id, approve=True)
    # the part a subordinate licensee uses is not divided off its primary
    division = await _division(client, licensee, [
        {"licence_number": "010898101", "scope": "geographic", "area_code": "5-140"}])
    await save(client, other, division, {"part2": PART2})
    await submit(client, licensee, division)
    refused = await client.post(f"{API}/applications/{division}/decision", headers=officer,
                                json={"approve": True})
    assert refused.status_code == 409 and refused.json()["code"] == "TRF-SUBORDINATE-PART"

    # 1712-1713 MHz in tier 5 Ottawa (5-140) lies inside licence 010898101 (3-013)
    wanted = {**SPECTRUM_OK, "spectrum": {"spectra": [{"block": "1712-1713",
                                                        "area_code": "5-140"}]}}
    spectrum = await new_application(client, licensee, "spectrum")
    await save(client, licensee, spectrum, wanted)
    await submit(client, licensee, spectrum)
    taken = await client.post(f"{API}/applications/{spectrum}/decision", headers=officer,
                              json={"approve": True})
    assert taken.status_code == 409 and taken.json()["code"] == "SPC-FCFS-TAKEN"
    assert "010898101" in taken.json()["detail"]
    partial = await client.post(f"{API}/applications/{spectrum}/decision", headers=officer,
                                json={"approve": True, "licence_numbers": ["010898101"]})
    assert partial.status_code == 400 and partial.json()["code"] == "APP-APPROVE-UNKNOWN"


async def test_the_service_areas_in_use_are_listed_with_their_hierarchy(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    _, licensee = await officer_and_licensee(client)
    tier3 = (await client.get(f"{API}/reference/service-areas", headers=licensee,
                              params={"tier": 3})).json()
    assert {a["code"] for a in tier3["items"]} == {"3-013", "3-024", "3-040", "3-044", "3-051"}
    ottawa = (await client.get(f"{API}/reference/service-areas/5-140", headers=licensee)).json()
    assert ottawa["lineage"] == ["4-038", "3-013", "2-006", "1-001"]
    assert ottawa["geometry"] is None
    missing = await client.get(f"{API}/reference/service-areas/9-999", headers=licensee)
    assert missing.status_code == 404 and missing.json()["code"] == "GEO-AREA-NOT-FOUND"
