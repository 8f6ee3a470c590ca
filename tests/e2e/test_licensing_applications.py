"""Applications end to end: draft -> validate -> submit -> officer decision -> registry -> event."""

from __future__ import annotations

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.journey import token
from tests.support.licensing import (
    API,
    decide,
    errors,
    holder_of_second_account,
    new_application,
    save,
    submit,
)

SPECTRUM_OK = {
    "applicant": {"applicant_name": "Northern Demo Wireless Inc.", "address": "1 Main St, Ottawa",
                  "language": "en", "classification": "Corporation"},
    "spectrum": {"spectra": [{"block": "3650-3660", "area_code": "4-038"}]},
    "service": {"nature_of_service": "Fixed wireless access",
                "ownership_and_control": "Wholly owned by Northern Holdings"},
    "certification": {"eligibility": True, "antenna_marking": True, "cpc_2_0_03": True,
                      "international_coordination": True, "spectrum_policies": True,
                      "authorized_representative": True, "signer_name": "A. Signer"},
}


async def test_spectrum_application_from_draft_to_licence(system: EmbeddedSystem,
                                                          client: httpx.AsyncClient) -> None:
    licensee, officer = await token(client), await token(client, "demo.officer",
                                                         "Demo-Officer-2026!")
    app_id = await new_application(client, licensee, "spectrum")
    bad = {**SPECTRUM_OK, "spectrum": {"spectra": [{"block": "abc", "area_code": "9-999"},
                                                   {"block": "1720-1730", "area_code": "4-038"}]},
           "service": {"nature_of_service": "FWA"}}
    del bad["certification"]
    await save(client, licensee, app_id, bad)
    found = await errors(client, licensee, app_id)
    assert found["spectrum"] == {"spectra[0].block": "SPC-BLOCK",
                                 "spectra[0].area_code": "SPC-AREA"}
    assert found["service"] == {"ownership_and_control": "APP-REQUIRED"}  # AWS-1: 5.6.4
    assert "eligibility" in found["certification"]
    refused = await client.post(f"{API}/applications/{app_id}/submit", headers=licensee)
    assert refused.status_code == 400 and refused.json()["code"] == "APP-INVALID"

    await save(client, licensee, app_id, SPECTRUM_OK)
    assert await errors(client, licensee, app_id) == {}
    number = await submit(client, licensee, app_id)
    assert number.startswith("ASP")

    queue = (await client.get(f"{API}/queues", headers=officer,
                              params={"family": "spectrum", "office": "Ontario"})).json()
    assert [a["number"] for a in queue["items"]] == [number]
    assert queue["items"][0]["clock"]["state"] == "running"
    assert queue["items"][0]["clock"]["standard_days"] == 60
    assert (await client.get(f"{API}/queues", headers=licensee)).status_code == 403

    outsider = await holder_of_second_account(system)
    hidden = await client.get(f"{API}/applications/{app_id}", headers=outsider)
    assert hidden.status_code == 404

    assert (await client.post(f"{API}/applications/{app_id}/assign", headers=officer,
                              json={})).status_code == 204
    asked = await client.post(f"{API}/applications/{app_id}/request-info", headers=officer,
                              json={"question": "Send the map of the area."})
    assert asked.status_code == 204
    mine = (await client.get(f"{API}/applications/{app_id}", headers=licensee)).json()
    assert mine["status"] == "Information requested" and mine["clock"]["state"] == "paused"
    assert (await client.post(f"{API}/applications/{app_id}/answer", headers=licensee,
                              json={"text": "Map attached."})).status_code == 204
    mine = (await client.get(f"{API}/applications/{app_id}", headers=licensee)).json()
    assert mine["status"] == "In review" and mine["clock"]["state"] == "running"
    assert [m["kind"] for m in mine["messages"]] == ["question", "answer"]

    decided = await decide(client, officer, app_id, approve=True)
    assert decided["status"] == "Approved" and decided["clock"]["state"] == "stopped"
    licence_number = decided["licence_numbers"][0]
    licence = (await client.get(f"{API}/licences/{licence_number}", headers=licensee)).json()
    assert licence["status"] == "Granted" and licence["frequency_blocks"] == ["3650-3660 MHz"]
    assert licence["service_area"] == "4-038" and licence["expires_on"].endswith("-03-31")
    assert licence["commercial_mobile"] is False  # 3650 MHz fixed wireless (5.6.4.1)
    invoices = (await client.get(f"{API}/accounts/100000001/invoices", headers=licensee)).json()
    assert invoices["total"] == 1 and invoices["items"][0]["kind"] == "issuance"
    assert 0 < float(invoices["items"][0]["amount"]) <= 2500

    # first come, first served: the same block in the same area is taken now
    second = await new_application(client, licensee, "spectrum")
    await save(client, licensee, second, SPECTRUM_OK)
    await submit(client, licensee, second)
    taken = await client.post(f"{API}/applications/{second}/decision", headers=officer,
                              json={"approve": True})
    assert taken.status_code == 409 and taken.json()["code"] == "SPC-FCFS-TAKEN"
    denied = await decide(client, officer, second, approve=False, reasons="Spectrum taken.")
    assert denied["status"] == "Denied"


RADIO_OK = {
    "station": {"station_type": "land", "purpose": "new", "station_count": 3},
    "location": {"civic_address": "100 Bank St, Ottawa ON", "multi_frequency_site": False},
    "technical": {"frequencies": [{"mhz": 150.5}], "erp_watts": 50, "bandwidth_khz": 12.5,
                  "emission_designator": "11K0F3E", "equipment_certification": "109AB-XPR7550"},
    "filer": {"third_party": False},
    "attestation": {"true_and_correct": True, "signer_name": "A. Signer", "cpc_2_0_03": True},
}


async def test_radio_application_with_failed_coordination(system: EmbeddedSystem,
                                                          client: httpx.AsyncClient) -> None:
    licensee, officer = await token(client), await token(client, "demo.officer",
                                                         "Demo-Officer-2026!")
    app_id = await new_application(client, licensee, "radio")
    await save(client, licensee, app_id, {
        **RADIO_OK,
        "location": {"multi_frequency_site": True},
        "technical": {**RADIO_OK["technical"], "equipment_certification": "UNCERT-PROTO-1",
                      "frequencies": [{"mhz": 1200}]},
        "filer": {"third_party": True, "agent_name": "Radio Agents Ltd."},
        "attestation": {"true_and_correct": True, "signer_name": "A. Signer"}})
    found = await errors(client, licensee, app_id)
    assert found["location"] == {"civic_address": "RAD-LOCATION",
                                 "antenna_diagram": "RAD-ANTENNA-DIAGRAM"}
    assert found["technical"]["frequencies[0].mhz"] == "APP-RANGE"
    assert found["technical"]["functional_description"] == "APP-REQUIRED"  # Appendix B
    assert found["filer"] == {"power_of_attorney": "RAD-POWER-OF-ATTORNEY"}

    await save(client, licensee, app_id, {**RADIO_OK, "attestation": {
        "true_and_correct": True, "signer_name": "A. Signer"}})
    assert await errors(client, licensee, app_id) == {
        "attestation": {"cpc_2_0_03": "RAD-CPC-2-0-03"}}
    await save(client, licensee, app_id, RADIO_OK)
    await submit(client, licensee, app_id)

    checked = await client.post(f"{API}/applications/{app_id}/checklist", headers=officer,
                                json={"items": {"eligibility": "passed",
                                                "frequency_coordination": "failed"}})
    assert checked.status_code == 204
    mine = (await client.get(f"{API}/applications/{app_id}", headers=licensee)).json()
    assert mine["status"] == "Information requested"
    assert "coordination" in mine["messages"][0]["text"]
    await client.post(f"{API}/applications/{app_id}/answer", headers=licensee,
                      json={"text": "We accept 151.0 MHz instead."})
    await client.post(f"{API}/applications/{app_id}/checklist", headers=officer, json={
        "items": {"cpc_2_0_03": "passed", "redeployment_plan": "passed", "emc": "passed",
                  "frequency_coordination": "passed"}})
    decided = await decide(client, officer, app_id, approve=True,
                           conditions=["Operate on 151.0 MHz only."])
    licence = (await client.get(f"{API}/licences/{decided['licence_numbers'][0]}",
                                headers=licensee)).json()
    assert licence["kind"] == "radio" and licence["expires_on"].endswith("-03-31")
    assert licence["conditions"] == ["Operate on 151.0 MHz only."]
    await system.settle()


async def test_staff_enter_a_paper_application(system: EmbeddedSystem,
                                               client: httpx.AsyncClient) -> None:
    licensee, officer = await token(client), await token(client, "demo.officer",
                                                         "Demo-Officer-2026!")
    refused = await client.post(f"{API}/applications", headers=licensee, json={
        "family": "radio", "account_number": "100000001", "channel": "paper"})
    assert refused.status_code == 400
    app_id = await new_application(client, officer, "radio", channel="paper")
    await save(client, officer, app_id, RADIO_OK)
    await submit(client, officer, app_id)
    listed = (await client.get(f"{API}/applications", headers=licensee)).json()
    assert [(a["id"], a["channel"]) for a in listed["items"]] == [(app_id, "paper")]


async def test_nothing_a_user_types_gives_a_500(system: EmbeddedSystem,
                                                client: httpx.AsyncClient) -> None:
    licensee = await token(client)
    app_id = await new_application(client, licensee, "transfer")
    await save(client, licensee, app_id, {"part1": {"licences": [1, "x"], "kind": ["?"],
                                                    "proposed_date": "31/12/2026",
                                                    "transferee_account": "999999999"}})
    found = await errors(client, licensee, app_id)
    assert found["part1"][""] == "APP-OTHER-ACCOUNT"
    assert found["part1"]["licences"] == "APP-ROWS"
    await save(client, licensee, app_id, {"part1": {"transferee_account": "9" * 5000}})
    assert (await errors(client, licensee, app_id))["part1"]["transferee_account"] == \
        "APP-TOO-LONG"
    for path, body in ((f"{API}/applications", {"family": "nope", "account_number": "1"}),
                       (f"{API}/applications", {"family": "radio", "account_number": "999"}),
                       (f"{API}/applications/{app_id}/decision", {"approve": "maybe"})):
        response = await client.post(path, headers=licensee, json=body)
        assert 400 <= response.status_code < 500, response.text
    wrong = await client.put(f"{API}/applications/{app_id}/sections/nope", headers=licensee,
                             json={})
    assert wrong.status_code == 404
