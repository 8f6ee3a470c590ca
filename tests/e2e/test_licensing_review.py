"""What an officer signs: the review checklist before approval (RSP-101 5), the standard
conditions a new spectrum licence gets from its band (CPC-2-1-23 5.13), shown on the licence,
and one application for every station of a radio system."""

from __future__ import annotations

from typing import Any

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.licensing import (
    API,
    decide,
    holder_of_second_account,
    new_application,
    officer_and_licensee,
    save,
    submit,
)
from tests.support.portal import post_form, signin


def spectrum(block: str, language: str) -> dict[str, dict[str, Any]]:
    return {
        "applicant": {"applicant_name": "Northern Demo Wireless Inc.", "address": "1 Main St",
                      "language": language, "classification": "Corporation"},
        "spectrum": {"spectra": [{"block": block, "area_code": "4-038"}]},
        "service": {"nature_of_service": "Mobile broadband",
                    "ownership_and_control": "Wholly owned by Northern Holdings"},
        "certification": {name: True for name in (
            "eligibility", "antenna_marking", "cpc_2_0_03", "international_coordination",
            "spectrum_policies", "authorized_representative")} | {"signer_name": "A. Signer"},
    }


async def granted(client: httpx.AsyncClient, licensee: dict[str, str],
                  officer: dict[str, str], block: str, language: str,
                  **decision: Any) -> dict[str, Any]:
    app_id = await new_application(client, licensee, "spectrum")
    await save(client, licensee, app_id, spectrum(block, language))
    await submit(client, licensee, app_id)
    number = (await decide(client, officer, app_id, approve=True, **decision))[
        "licence_numbers"][0]
    return dict((await client.get(f"{API}/licences/{number}", headers=licensee)).json())


async def test_a_new_spectrum_licence_gets_its_bands_conditions(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    aws = await granted(client, licensee, officer, "1730-1740", "fr",
                        conditions=["Coordination avec le titulaire voisin avant 2027."])
    texts = aws["conditions"]
    assert len(texts) == 13 and texts[0].startswith("Admissibilité")
    assert any("Code de sécurité 6" in c for c in texts)
    assert any("Transports Canada" in c for c in texts)
    assert any("CPC-2-0-17" in c for c in texts) and any("dans les 5 ans" in c for c in texts)
    assert texts[-1] == "Coordination avec le titulaire voisin avant 2027."  # the officer's

    wbs = await granted(client, licensee, officer, "3650-3660", "en")
    assert wbs["conditions"][0].startswith("Eligibility")
    assert not any("CPC-2-0-17" in c for c in wbs["conditions"])
    assert any("monthly" in c for c in wbs["conditions"])

    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    page = await client.get(f"/licensing/licences/{aws['licence_number']}")
    assert page.status_code == 200 and "AWS-1" in page.text
    assert "Conditions of licence" in page.text and "CPC-2-0-17" in page.text
    account = await client.get("/licensing/accounts/100000001")
    assert f'href="/licensing/licences/{aws["licence_number"]}"' in account.text
    outsider = await holder_of_second_account(system)
    client.cookies.set("sms_session", outsider["Authorization"].removeprefix("Bearer "))
    hidden = await client.get(f"/licensing/licences/{aws['licence_number']}")
    assert hidden.status_code == 404


RADIO_SYSTEM = {
    "station": {"station_type": "land", "purpose": "new", "station_count": 1},
    "location": {"civic_address": "100 Bank St, Ottawa ON"},
    "technical": {"frequencies": [{"mhz": 150.5}], "erp_watts": 50, "bandwidth_khz": 12.5,
                  "emission_designator": "11K0F3E", "equipment_certification": "109AB-XPR7550"},
    "system": {"stations": [{"station_type": "mobile", "station_count": "12",
                             "frequencies": "150.5 155.25", "erp_watts": "5",
                             "equipment_certification": "4491A-ICF5122"}]},
    "filer": {"third_party": False},
    "attestation": {"true_and_correct": True, "signer_name": "A. Signer", "cpc_2_0_03": True},
}


async def test_a_radio_system_is_approved_only_once_reviewed(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    app_id = await new_application(client, licensee, "radio")
    await save(client, licensee, app_id, RADIO_SYSTEM)
    await submit(client, licensee, app_id)
    shown = (await client.get(f"{API}/applications/{app_id}", headers=officer)).json()
    assert shown["review_items"] == ["eligibility", "cpc_2_0_03", "redeployment_plan", "emc",
                                     "frequency_coordination"]

    early = await client.post(f"{API}/applications/{app_id}/decision", headers=officer,
                              json={"approve": True})
    assert early.status_code == 409 and early.json()["code"] == "APP-CHECKLIST-INCOMPLETE"
    assert "redeployment plan" in early.json()["detail"]
    for items in ({"eligibility": "maybe"}, {"redeployment_plan": "not_applicable"},
                  {"lunch": "passed"}):
        bad = await client.post(f"{API}/applications/{app_id}/checklist", headers=officer,
                                json={"items": items})
        assert bad.status_code == 422, bad.text

    await signin(client, "demo.officer", "Demo-Officer-2026!")
    page = f"/licensing/applications/{app_id}"
    form = await client.get(page)
    assert "Review checklist" in form.text and 'name="item.redeployment_plan"' in form.text
    recorded = await post_form(client, f"{page}/review", {
        "action": "checklist", "item.eligibility": "passed", "item.cpc_2_0_03": "passed",
        "item.redeployment_plan": "passed", "item.emc": "passed"}, page=page)
    assert recorded.status_code == 303
    still = await client.post(f"{API}/applications/{app_id}/decision", headers=officer,
                              json={"approve": True})
    assert still.status_code == 409 and "Frequency coordination" in still.json()["detail"]
    await client.post(f"{API}/applications/{app_id}/checklist", headers=officer,
                      json={"items": {"frequency_coordination": "not_applicable"}})

    decided = await decide(client, officer, app_id, approve=True)
    base, mobiles = decided["licence_numbers"]
    assert decided["outcome"]["system_stations"] == [mobiles]
    licence = (await client.get(f"{API}/licences/{mobiles}", headers=licensee)).json()
    assert licence["service"] == "Mobile station (IC-2366)"
    invoice = (await client.get(f"{API}/accounts/100000001/invoices",
                                headers=licensee)).json()["items"][0]
    assert invoice["licence_numbers"] == [base, mobiles]
    system_page = await client.get(f"/licensing/licences/{mobiles}")
    assert f'href="/licensing/licences/{base}"' in system_page.text
    shown = await client.get(f"/licensing/applications/{app_id}")
    assert "Licences of the other stations of the system" in shown.text
