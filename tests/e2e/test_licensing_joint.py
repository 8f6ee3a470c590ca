"""Joint applications end to end: transfers, divisions, prospective transfers, subordinates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.licensing import (
    API,
    decide,
    errors,
    holder_of_second_account,
    new_application,
    officer_and_licensee,
    save,
    submit,
)

PART2 = {"name": "Prairie Demo Telecom Ltd.", "address": "2 Main St, Regina SK",
         "authority": True, "eligibility": True, "use_understood": True,
         "conditions_understood": True, "signer_name": "P. Owner", "signer_title": "CEO"}


def part1(kind: str, licences: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"licensee_name": "Northern Demo Wireless Inc.", "address": "1 Main St, Ottawa",
            "kind": kind, "transferee_account": "100000002", "licences": licences,
            "proposed_date": "2026-12-31", "authority": True, "signer_name": "N. Owner",
            "signer_title": "President", "commercial_mobile_material": "Concentration study.",
            **extra}


async def licence(http: httpx.AsyncClient, who: dict[str, str], number: str) -> dict[str, Any]:
    response = await http.get(f"{API}/licences/{number}", headers=who)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_transfer_is_joint_and_may_be_approved_in_part(system: EmbeddedSystem,
                                                             client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    app_id = await new_application(client, licensee, "transfer")
    await save(client, licensee, app_id, {"part1": part1("transfer", [
        {"licence_number": "010898101", "scope": "whole"},
        {"licence_number": "010898102", "scope": "whole"}])})
    assert set(await errors(client, licensee, app_id)) == {"part2"}
    refused = await client.put(f"{API}/applications/{app_id}/sections/part2",
                               headers=licensee, json=PART2)
    assert refused.status_code == 403 and refused.json()["code"] == "APP-OTHER-PARTY"

    seen = (await client.get(f"{API}/applications", headers=other)).json()
    assert [a["id"] for a in seen["items"]] == [app_id]
    assert (await client.get(f"{API}/applications/{app_id}", headers=other)).json()[
        "your_part"] == "other"
    await save(client, other, app_id, {"part2": PART2})
    assert (await client.post(f"{API}/applications/{app_id}/submit",
                              headers=other)).status_code == 403
    await submit(client, licensee, app_id)
    view = (await client.get(f"{API}/applications/{app_id}", headers=other)).json()
    assert view["clock"]["standard_days"] == 84  # 12 weeks

    decided = await decide(client, officer, app_id, approve=True,
                           licence_numbers=["010898102"], reasons="Only 102 approved.")
    assert decided["status"] == "Partially approved"
    moved = await licence(client, other, "010898102")
    assert moved["account_number"] == "100000002" and moved["expires_on"] == "2030-03-31"
    assert (await licence(client, licensee, "010898101"))["account_number"] == "100000001"
    await system.settle()


async def test_bandwidth_division_gives_the_remaining_term(system: EmbeddedSystem,
                                                           client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    app_id = await new_application(client, licensee, "transfer")
    await save(client, licensee, app_id, {"part1": part1("transfer", [
        {"licence_number": "010898103", "scope": "bandwidth", "block": "1700-1715"},
        {"licence_number": "010898105", "scope": "whole"}])})
    found = await errors(client, licensee, app_id)
    assert found["part1"] == {"licences[0].block": "TRF-BLOCK",
                              "licences[1].licence_number": "TRF-STATUS"}
    await save(client, licensee, app_id, {"part1": part1("transfer", [
        {"licence_number": "010898103", "scope": "bandwidth", "block": "1710-1715"}])})
    await save(client, other, app_id, {"part2": PART2})
    await submit(client, licensee, app_id)
    decided = await decide(client, officer, app_id, approve=True)
    new = await licence(client, other, decided["licence_numbers"][0])
    assert new["frequency_blocks"] == ["1710-1715 MHz"] and new["expires_on"] == "2030-03-31"
    rest = await licence(client, licensee, "010898103")
    assert rest["frequency_blocks"] == ["1715-1720 MHz", "2110-2120 MHz"]


async def test_prospective_transfer_that_does_not_meet_starts_the_breach_clock(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    today = system.infra.clock.today()
    app_id = await new_application(client, licensee, "transfer")
    late = (today - timedelta(days=20)).isoformat()
    lines = [{"licence_number": "010898104", "scope": "whole"}]
    await save(client, licensee, app_id, {"part1": part1("prospective", lines,
                                                         agreement_date=late)})
    assert (await errors(client, licensee, app_id))["part1"] == {
        "agreement_date": "TRF-PROSPECTIVE-LATE"}
    await save(client, licensee, app_id, {"part1": part1(
        "prospective", lines, agreement_date=today.isoformat())})
    await save(client, other, app_id, {"part2": PART2})
    await submit(client, licensee, app_id)
    no_reason = await client.post(f"{API}/applications/{app_id}/decision", headers=officer,
                                  json={"approve": False})
    assert no_reason.status_code == 400
    decided = await decide(client, officer, app_id, approve=False,
                           reasons="Post-transfer concentration too high.")
    assert decided["outcome"] == {"verdict": "does not meet",
                                  "breach_after": (today + timedelta(days=90)).isoformat()}
    assert (await licence(client, licensee, "010898104"))["account_number"] == "100000001"
    tracked = (await client.get(f"{API}/prospective-transfers", headers=officer)).json()
    assert [(x["id"], x["in_breach_if_still_party"]) for x in tracked["items"]] == [
        (app_id, False)]


async def test_subordinate_licence_never_exceeds_its_primary(system: EmbeddedSystem,
                                                             client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    app_id = await new_application(client, licensee, "subordinate")
    row = {"primary_licence": "010898101", "expires_on": "2031-03-31",
           "frequency_range": "1710-1790", "geographic_area": "3-013"}
    base = {"licensee_name": "Northern Demo Wireless Inc.", "address": "1 Main St",
            "subordinate_account": "100000002", "proposed_issuance_date": "2026-12-01",
            "authority": True, "signer_name": "N. Owner", "signer_title": "President",
            "commercial_mobile_material": "Agreement summary."}
    await save(client, licensee, app_id, {"part1": {**base, "licences": [row]}})
    assert (await errors(client, licensee, app_id))["part1"] == {
        "licences[0].frequency_range": "SUB-RANGE"}  # a longer term is not an error (iii)
    fixed = {**row, "frequency_range": "1712-1714"}
    await save(client, licensee, app_id, {"part1": {**base, "licences": [fixed]}})
    await save(client, other, app_id, {"part2": PART2})
    await submit(client, licensee, app_id)
    decided = await decide(client, officer, app_id, approve=True)
    sub = await licence(client, other, decided["licence_numbers"][0])
    # asked 2031-03-31: issued to the primary's expiry
    assert sub["primary_licence"] == "010898101" and sub["expires_on"] == "2030-03-31"
    assert sub["account_number"] == "100000002"

    # a subordinate licence is not transferable
    again = await new_application(client, other, "transfer", account="100000002")
    await save(client, other, again, {"part1": {
        **part1("transfer", [{"licence_number": sub["licence_number"], "scope": "whole"}]),
        "transferee_account": "100000001"}})
    assert (await errors(client, other, again))["part1"] == {
        "licences[0].licence_number": "TRF-SUBORDINATE"}

    # revoking the primary takes the subordinate with it, with notice
    revoked = await client.post(f"{API}/licences/010898101/status", headers=officer,
                                json={"status": "Revoked", "reason": "Breach of conditions."})
    assert revoked.status_code == 200 and revoked.json()["status"] == "Revoked"
    assert (await licence(client, other, sub["licence_number"]))["status"] == "Revoked"
