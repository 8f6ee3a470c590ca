"""The licensing portal pages: wizard, my applications with their clock, queues, account."""

from __future__ import annotations

import re

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.portal import post_form, signin


async def test_a_spectrum_application_through_the_pages(system: EmbeddedSystem,
                                                        client: httpx.AsyncClient) -> None:
    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    listing = await client.get("/licensing/applications")
    assert listing.status_code == 200 and "Start an application" in listing.text
    started = await post_form(client, "/licensing/applications/new",
                              {"family": "spectrum", "account_number": "100000001"},
                              page="/licensing/applications")
    assert started.status_code == 303
    step = started.headers["location"]
    app_url = step.split("/step/")[0]
    assert step.endswith("/step/applicant")

    nxt = await post_form(client, step, {"applicant_name": "Northern Demo Wireless Inc.",
                                         "address": "1 Main St", "language": "en",
                                         "classification": "Corporation", "go": "next"})
    assert nxt.headers["location"].endswith("/step/spectrum")
    bad = await post_form(client, nxt.headers["location"],
                          {"spectra": "abc, 9-999", "go": "validate"})
    shown = await client.get(bad.headers["location"])
    assert "Write the block as low-high in MHz" in shown.text
    assert "This is not a service area code" in shown.text

    await post_form(client, f"{app_url}/step/spectrum",
                    {"spectra": "3700-3710, 4-038", "go": "save"})
    await post_form(client, f"{app_url}/step/service",
                    {"nature_of_service": "Fixed wireless", "go": "save"})
    certs = {name: "on" for name in ("eligibility", "antenna_marking", "cpc_2_0_03",
                                     "international_coordination", "spectrum_policies",
                                     "authorized_representative")}
    await post_form(client, f"{app_url}/step/certification",
                    {**certs, "signer_name": "A. Signer", "go": "save"})
    valid = await client.get(f"{app_url}?validate=1")
    assert "The application has no errors" in valid.text
    sent = await post_form(client, f"{app_url}/submit", {}, page=app_url)
    assert sent.status_code == 303
    mine = await client.get("/licensing/applications")
    assert "Submitted" in mine.text and "of 60 days" in mine.text

    client.cookies.clear()
    await signin(client, "demo.officer", "Demo-Officer-2026!")
    queue = await client.get("/licensing/queues", params={"family": "spectrum"})
    assert queue.status_code == 200 and app_url.rsplit("/", 1)[1] in queue.text
    decided = await post_form(client, f"{app_url}/review", {"action": "approve"}, page=app_url)
    assert decided.status_code == 303
    done = await client.get(app_url)
    licence = re.search(r"<dd>(\d{9})</dd>", done.text)
    assert "Approved" in done.text and licence

    client.cookies.clear()
    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    account = await client.get("/licensing/accounts/100000001")
    assert licence.group(1) in account.text and "3700-3710 MHz" in account.text
    french = await client.get("/licensing/accounts/100000001", params={"lang": "fr"})
    assert "Autorisations" in french.text
    assert (await client.get("/licensing/queues")).status_code == 403
