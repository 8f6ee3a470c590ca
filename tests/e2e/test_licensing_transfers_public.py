"""Commercial mobile transfers (the officer's concentration review, the public summary of
each decision, informal advice before an agreement), returned spectrum announced publicly,
and wizards that start filled from the account the user acts for."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from services.gateway.embedded import EmbeddedSystem
from services.licensing.handlers.registry import NewLicence, grant_licence, new_licence_number
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

PART2 = {"name": "Prairie Demo Telecom Ltd.", "address": "2 Main St, Regina SK",
         "affiliates": [], "authority": True, "eligibility": True, "use_understood": True,
         "conditions_understood": True, "signer_name": "P. Owner", "signer_title": "CEO"}


def part1(number: str) -> dict[str, Any]:
    return {"licensee_name": "Northern Demo Wireless Inc.", "address": "1 Main St, Ottawa",
            "kind": "transfer", "transferee_account": "100000002",
            "licences": [{"licence_number": number, "scope": "whole"}],
            "proposed_date": "2026-12-31", "authority": True, "signer_name": "N. Owner",
            "signer_title": "President", "commercial_mobile_material": "Secret deal terms."}


async def grant(system: EmbeddedSystem, account: str, area: str, block: str,
                commercial_mobile: bool = True) -> str:
    licensing = system.service("licensing")
    async with licensing.uows() as uow:
        number = await new_licence_number(uow.session)
        await grant_licence(uow, NewLicence(number, account, "spectrum", "Granted",
                                            date(2024, 4, 1), date(2034, 3, 31),
                                            service_area=area, frequency_blocks=[block],
                                            commercial_mobile=commercial_mobile))
        await uow.commit()
    return number


async def transfer(client: httpx.AsyncClient, licensee: dict[str, str],
                   other: dict[str, str], number: str) -> str:
    app_id = await new_application(client, licensee, "transfer")
    await save(client, licensee, app_id, {"part1": part1(number)})
    await save(client, other, app_id, {"part2": PART2})
    await submit(client, licensee, app_id)
    return app_id


async def test_concentration_review_and_the_published_decision(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    await grant(system, "100000002", "3-013", "1735-1745 MHz")  # the buyer's AWS-1 in Ottawa
    app_id = await transfer(client, licensee, other, "010898101")  # 20 MHz of AWS-1, Ottawa
    pending = await transfer(client, licensee, other, "010898102")

    assert (await client.get(f"{API}/applications/{app_id}/concentration",
                             headers=licensee)).status_code == 403
    review = (await client.get(f"{API}/applications/{app_id}/concentration",
                               headers=officer)).json()
    assert review["commercial_mobile"] and review["kind"] == "transfer"
    assert [p["legal_name"] for p in review["transferee_group"]] == ["Prairie Demo Telecom Ltd."]
    aws = next(r for r in review["rows"] if r["band"] == "AWS-1")
    assert aws["area"] == "3-013"
    # the seller also holds AWS-1 in Eastern Ontario (2-006), which contains Ottawa
    assert (aws["before"]["licensee_mhz"], aws["before"]["transferee_mhz"],
            aws["before"]["total_mhz"]) == (40, 10, 50)
    assert (aws["after"]["licensee_mhz"], aws["after"]["transferee_mhz"]) == (20, 30)
    assert aws["after"]["transferee_share"] == 60.0
    assert any(r["band"] == "*" for r in review["rows"])
    pending_number = (await client.get(f"{API}/applications/{pending}",
                                       headers=officer)).json()["number"]
    assert review["pending"] == [{"number": pending_number, "family": "transfer"}]

    await signin(client, "demo.officer", "Demo-Officer-2026!")
    page = await client.get(f"/licensing/applications/{app_id}/concentration",
                            params={"lang": "fr"})
    assert page.status_code == 200 and "Examen de la concentration" in page.text
    assert "40 MHz (80 %)" in page.text  # the seller's group before
    assert "30 MHz (60 %)" in page.text  # the buyer's group after
    client.cookies.clear()

    await decide(client, officer, app_id, approve=True,
                 public_summary="The transfer raises no concern in the Ottawa area.")
    published = await client.get(f"{API}/public/transfer-decisions")  # no sign-in
    assert published.status_code == 200
    [summary] = published.json()["items"]
    assert (summary["decision"], summary["licensee"], summary["other_party"]) == (
        "Approved", "Northern Demo Wireless Inc.", "Prairie Demo Telecom Ltd.")
    assert summary["licences"] == [{"number": "010898101", "band": "AWS-1",
                                    "blocks": ["1710-1720 MHz", "2110-2120 MHz"],
                                    "area": "3-013", "approved": True}]
    assert "Secret deal terms" not in published.text  # the rest stays confidential
    public_page = await client.get("/licensing/public/transfer-decisions",
                                   params={"lang": "fr"})
    assert public_page.status_code == 200 and "Transfert ou division de licence" in \
        public_page.text and "raises no concern" in public_page.text


async def test_a_transfer_outside_commercial_mobile_spectrum_is_not_published(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    wbs = await grant(system, "100000001", "4-038", "3650-3660 MHz", commercial_mobile=False)
    app_id = await transfer(client, licensee, other, wbs)
    review = (await client.get(f"{API}/applications/{app_id}/concentration",
                               headers=officer)).json()
    assert not review["commercial_mobile"]
    await decide(client, officer, app_id, approve=True)
    assert (await client.get(f"{API}/public/transfer-decisions")).json()["total"] == 0


async def test_informal_advice_before_an_agreement(system: EmbeddedSystem,
                                                   client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    outsider = await holder_of_second_account(system)
    body = {"account_number": "100000001", "kind": "prospective",
            "other_party": "Prairie Demo Telecom Ltd.", "licence_numbers": ["010898199"],
            "description": "An option to sell our Ottawa AWS-1 licence in 2028.",
            "questions": "Would the 5.6.4.2 review raise a concern?"}
    notours = await client.post(f"{API}/advice-requests", headers=licensee, json=body)
    assert notours.status_code == 422 and notours.json()["code"] == "ADV-LICENCES"
    asked = await client.post(f"{API}/advice-requests", headers=licensee,
                              json={**body, "licence_numbers": ["010898101"]})
    assert asked.status_code == 201 and asked.json()["status"] == "Open"
    advice_id = asked.json()["id"]
    assert (await client.get(f"{API}/advice-requests/{advice_id}",
                             headers=outsider)).status_code == 404
    assert (await client.get(f"{API}/advice-requests", headers=outsider)).json()["total"] == 0
    assert (await client.post(f"{API}/advice-requests/{advice_id}/answer", headers=licensee,
                              json={"answer": "Fine."})).status_code == 403

    queue = (await client.get(f"{API}/advice-requests", headers=officer,
                              params={"status": "Open"})).json()
    assert [r["id"] for r in queue["items"]] == [advice_id]
    await signin(client, "demo.officer", "Demo-Officer-2026!")
    page = f"/licensing/advice/{advice_id}"
    answered = await post_form(client, f"{page}/answer", {
        "answer": "A combined 40 MHz in Ottawa would be examined closely.",
        "action": "answer"}, page=page)
    assert answered.status_code == 303
    client.cookies.clear()

    seen = (await client.get(f"{API}/advice-requests/{advice_id}", headers=licensee)).json()
    assert seen["status"] == "Answered" and "examined closely" in seen["answer"]
    assert seen["binding"] is False and "not binding" in seen["note"]
    again = await client.post(f"{API}/advice-requests/{advice_id}/answer", headers=officer,
                              json={"answer": "More."})
    assert again.status_code == 409
    assert (await client.get(f"{API}/public/transfer-decisions")).json()["total"] == 0

    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    form = await client.get("/licensing/advice/new", params={"lang": "fr"})
    assert "Demander un avis informel" in form.text
    missing = await post_form(client, "/licensing/advice/new", {
        "account_number": "100000001", "kind": "transfer", "other_party": "X"})
    assert missing.status_code == 400 and "This field is required" in missing.text
    mine = await client.get("/licensing/advice", params={"lang": "en"})
    assert "Answered" in mine.text


async def test_returned_spectrum_is_announced_to_everyone(system: EmbeddedSystem,
                                                          client: httpx.AsyncClient) -> None:
    _, licensee = await officer_and_licensee(client)
    returned = await client.post(f"{API}/licences/010898104/return", headers=licensee,
                                 json={"reason": "No longer needed in Northern Ontario."})
    assert returned.status_code == 200, returned.text
    announced = await client.get(f"{API}/public/available-spectrum")  # no sign-in
    assert announced.status_code == 200
    [notice] = announced.json()["items"]
    assert (notice["licence_number"], notice["service_area"], notice["area_name"],
            notice["band"]) == ("010898104", "2-009", "Northern Ontario", "AWS-1")
    assert notice["frequency_blocks"] == ["1710-1720 MHz", "2110-2120 MHz"]
    assert notice["returned_on"] == system.infra.clock.today().isoformat()
    assert any("CPC-2-0-17" in c for c in notice["conditions"])
    page = await client.get("/licensing/public/available-spectrum", params={"lang": "fr"})
    assert page.status_code == 200 and "appel de déclarations d’intérêt" in page.text
    assert "Northern Ontario" in page.text and "Northern Demo Wireless" not in page.text


async def test_the_wizards_start_from_the_account_the_user_acts_for(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    _, licensee = await officer_and_licensee(client)
    contacts = [{"role": "administrative", "name": "Alex Admin",
                 "business_email": "alex@example.ca"},
                {"role": "technical", "name": "Terry Tech", "email": "terry@example.ca"}]
    changed = await client.put(f"{API}/accounts/100000001/contacts", headers=licensee,
                               json={"contacts": contacts})
    assert changed.status_code == 200, changed.text

    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    start = await client.get("/licensing/broadcasting/new")
    assert "Northern Demo Wireless Inc." in start.text and 'value="100000001" checked' in \
        start.text
    started = await post_form(client, "/licensing/broadcasting/new",
                              {"account_number": "100000001"})
    app_id = started.headers["location"].split("/")[3]
    account = await client.get(f"/licensing/broadcasting/{app_id}/account")
    assert 'value="Northern Demo Wireless Inc."' in account.text
    assert 'value="Alex Admin, alex@example.ca"' in account.text
    assert 'value="Terry Tech, terry@example.ca"' in account.text

    spectrum = await new_application(client, licensee, "spectrum")
    sections = {s["key"]: s["data"] for s in (await client.get(
        f"{API}/applications/{spectrum}", headers=licensee)).json()["sections"]}
    assert sections["applicant"] == {"applicant_name": "Northern Demo Wireless Inc.",
                                     "language": "en"}
