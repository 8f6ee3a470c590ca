"""The broadcasting wizard's pages: start, a section with Back/Next/Save/Validate (real
errors shown), French, auxiliary loaded from the main station, and Submit from the summary."""

from __future__ import annotations

import httpx

from services.gateway.embedded import EmbeddedSystem
from services.licensing.handlers.broadcasting import example_draft
from tests.support.licensing import API, attach, save
from tests.support.portal import post_form, signin

BASE = "/licensing/broadcasting"


async def test_the_wizard_from_start_to_submit(system: EmbeddedSystem,
                                               client: httpx.AsyncClient) -> None:
    token = await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    started = await post_form(client, f"{BASE}/new", {"account_number": "100000001"})
    assert started.status_code == 303, started.text
    general = started.headers["location"]
    app_id = general.split("/")[3]
    assert general == f"{BASE}/{app_id}/general"

    checked = await post_form(client, general, {
        "experimental": "No", "duration": "Short term", "start_date": "2030-12-01",
        "end_date": "2031-02-01", "action": "validate"})
    assert checked.status_code == 400
    assert "A short term lasts at most 28 days" in checked.text
    assert "Main station: site information" in checked.text  # other sections listed
    kept = await client.get(general)
    assert 'value="2031-02-01"' in kept.text

    moved = await post_form(client, general, {"experimental": "No", "duration": "Standard term",
                                              "action": "next"})
    assert moved.headers["location"] == f"{BASE}/{app_id}/account"
    back = await post_form(client, f"{BASE}/{app_id}/account", {"action": "back"})
    assert back.headers["location"] == general
    french = await client.get(general, params={"lang": "fr"})
    assert "Renseignements généraux" in french.text and "Durée demandée" in french.text

    headers = {"Authorization": f"Bearer {token}"}
    await save(client, headers, app_id, example_draft())
    await attach(client, headers, app_id, "engineering_brief", "antenna_pattern")
    added = await post_form(client, f"{BASE}/{app_id}/auxiliary", {"action": "aux:Standby"})
    assert added.status_code == 303
    aux = await client.get(f"{BASE}/{app_id}/auxiliary")
    assert 'value="CKQZ-FM-AX1"' in aux.text

    submitted = await post_form(client, f"{BASE}/{app_id}/summary", {"action": "submit"})
    assert submitted.status_code == 303, submitted.text
    shown = (await client.get(f"{API}/applications/{app_id}", headers=headers)).json()
    assert shown["status"] == "Submitted" and shown["number"]
    page = await client.get(f"{BASE}/{app_id}/summary")
    assert shown["number"] in page.text and "CKQZ-FM" in page.text
    missing = await client.get(f"{BASE}/{app_id}/nowhere")
    assert missing.status_code == 404
