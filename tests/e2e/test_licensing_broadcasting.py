"""Broadcasting certificates end to end: draft -> save/resume -> validate (real errors) ->
submit -> officer approval -> certificate in the registry -> event; then a modification
pre-filled from the certificate on file, with an IBOC station loaded from the main one."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from services.gateway.embedded import EmbeddedSystem
from services.licensing.handlers.broadcasting import example_draft
from tests.support.journey import token
from tests.support.licensing import (
    API,
    attach,
    decide,
    errors,
    new_application,
    save,
    submit,
)

BC = f"{API}/broadcasting"


async def licensing_events(system: EmbeddedSystem, event_type: str) -> list[dict[str, Any]]:
    licensing = system.service("licensing")
    async with licensing.uows() as uow:
        rows = (await uow.session.execute(select(licensing.tables.outbox.c.envelope))).all()
    return [e["data"] for e in (json.loads(r.envelope) for r in rows) if e["type"] == event_type]


async def test_new_fm_certificate_from_draft_to_registry(system: EmbeddedSystem,
                                                         client: httpx.AsyncClient) -> None:
    licensee, officer = await token(client), await token(client, "demo.officer",
                                                         "Demo-Officer-2026!")
    good = example_draft()
    app_id = await new_application(client, licensee, "broadcasting")
    await save(client, licensee, app_id, {
        "general": good["general"],
        "main_general": {**good["main_general"], "channel": "261"},
        "main_parameters": {**good["main_parameters"], "call_sign": "CHFI-FM"},
        "main_line": {**good["main_line"], "efficiency": "95"}})
    resumed = (await client.get(f"{API}/applications/{app_id}", headers=licensee)).json()
    assert resumed["status"] == "Draft"
    found = await errors(client, licensee, app_id)
    assert found["main_general"] == {"channel": "BC-CHANNEL"}
    assert found["main_parameters"] == {"call_sign": "BC-CALL-SIGN-IN-USE"}
    assert found["main_line"] == {"efficiency": "BC-EFFICIENCY"}
    assert found["main_site"]["latitude"] == "APP-REQUIRED"
    refused = await client.post(f"{API}/applications/{app_id}/submit", headers=licensee)
    assert refused.status_code == 400 and refused.json()["code"] == "APP-INVALID"

    channel = await client.get(f"{BC}/calculate/channel", headers=licensee,
                               params={"service": "FM", "frequency": 99.9})
    assert channel.json()["channel"] == 260
    efficiency = await client.get(f"{BC}/calculate/line-efficiency", headers=licensee,
                                  params={"loss": 0.5, "length": 70})
    assert efficiency.json() == {"efficiency": 92.26}
    signs = (await client.get(f"{BC}/call-signs", headers=licensee,
                              params={"service": "FM"})).json()
    assert "CKQZ-FM" in signs["items"] and "CHFI-FM" not in signs["items"]

    await save(client, licensee, app_id, good)
    assert await errors(client, licensee, app_id) == {
        "attachments": {"engineering_brief": "APP-DOCUMENT-MISSING"},
        "main_antenna": {"pat_file": "APP-DOCUMENT-MISSING"}}
    await attach(client, licensee, app_id, "engineering_brief", "antenna_pattern")
    assert await errors(client, licensee, app_id) == {}
    number = await submit(client, licensee, app_id)
    queue = (await client.get(f"{API}/queues", headers=officer,
                              params={"family": "broadcasting"})).json()
    assert number in [a["number"] for a in queue["items"]]

    decided = await decide(client, officer, app_id, approve=True)
    assert decided["status"] == "Approved"
    certificate = decided["licence_numbers"][0]
    licence = (await client.get(f"{API}/licences/{certificate}", headers=licensee)).json()
    assert (licence["kind"], licence["status"], licence["service"]) == (
        "broadcasting", "Granted", "FM CKQZ-FM")
    granted = [e for e in await licensing_events(system, "licensing.licence.granted")
               if e["licence_number"] == certificate]
    assert granted and granted[0]["kind"] == "broadcasting"
    sign = (await client.get(f"{BC}/call-signs/ckqz-fm", headers=licensee)).json()
    assert sign["in_use"] and not sign["available"]

    await modify_with_iboc(system, client, licensee, officer, certificate)


async def modify_with_iboc(system: EmbeddedSystem, client: httpx.AsyncClient,
                           licensee: dict[str, str], officer: dict[str, str],
                           certificate: str) -> None:
    good = example_draft()
    app_id = await new_application(client, licensee, "broadcasting")
    filled = await client.post(f"{BC}/applications/{app_id}/prefill", headers=licensee,
                               json={"certificate_number": certificate})
    assert filled.status_code == 200, filled.text
    shown = (await client.get(f"{API}/applications/{app_id}", headers=licensee)).text
    assert "CKQZ-FM" in shown
    added = await client.post(f"{BC}/applications/{app_id}/auxiliary", headers=licensee,
                              json={"station_type": "IBOC"})
    assert added.status_code == 201 and added.json()["call_sign"] == "CKQZ-HD"
    await save(client, licensee, app_id, {k: good[k] for k in ("general", "account",
                                                              "attachments")})
    await attach(client, licensee, app_id, "engineering_brief")  # the PAT file is unchanged
    found = await errors(client, licensee, app_id)
    assert found == {"auxiliary": {"stations[0].service_mode": "APP-REQUIRED",
                                   "stations[0].erp.lower_sideband": "APP-REQUIRED",
                                   "stations[0].erp.upper_sideband": "APP-REQUIRED"}}
    station = {**added.json(), "service_mode": "MP3"}
    station["erp"] = {**station["erp"], "lower_sideband": "14", "upper_sideband": "14"}
    await save(client, licensee, app_id, {"auxiliary": {"stations": [station]},
                                          "usage": {"purpose": "Addition of auxiliary or IBOC "
                                                    "transmitter",
                                                    "certificate_number": certificate}})
    assert await errors(client, licensee, app_id) == {}
    await submit(client, licensee, app_id)
    decided = await decide(client, officer, app_id, approve=True)
    assert decided["licence_numbers"] == [certificate]
    changes = [e["change"] for e in await licensing_events(system, "licensing.licence.granted")
               if e["licence_number"] == certificate]
    assert changes == ["granted", "modified"]
    on_file = (await client.get(f"{BC}/certificates/{certificate}", headers=licensee)).json()
    assert on_file["record"]["auxiliary"]["stations"][0]["call_sign"] == "CKQZ-HD"
    hd = (await client.get(f"{BC}/call-signs/CKQZ-HD", headers=licensee)).json()
    assert hd["in_use"]


async def test_what_a_user_types_never_breaks_the_wizard(system: EmbeddedSystem,
                                                         client: httpx.AsyncClient) -> None:
    licensee = await token(client)
    app_id = await new_application(client, licensee, "broadcasting")
    await save(client, licensee, app_id, {
        "main_general": {"service": ["FM"], "frequency": "nan", "channel": {"x": 1}},
        "main_scmo": {"entries": [57, None]}, "auxiliary": {"stations": [1, "x"]},
        "main_antenna": {"max_gain_h": 1e308, "polarization": "Horizontal"},
        "general": {"duration": "Short term", "start_date": "2026-02-30"}})
    assert (await client.post(f"{API}/applications/{app_id}/validate",
                              headers=licensee)).status_code == 200
    for method, url, body in [
        ("GET", f"{BC}/calculate/channel?service=XX&frequency=1", None),
        ("GET", f"{BC}/calculate/channel?service=FM&frequency=inf", None),
        ("GET", f"{BC}/calculate/line-efficiency?loss=-1&length=0", None),
        ("POST", f"{BC}/calculate/power-values", {"erp_max_h": "nan", "erp_max_v": 1}),
        ("POST", f"{BC}/applications/{app_id}/prefill", {"certificate_number": "x"}),
        ("POST", f"{BC}/applications/{app_id}/auxiliary", {"station_type": "Backup"}),
        ("POST", f"{BC}/applications/{app_id}/auxiliary", {"station_type": "Standby"}),
        ("GET", f"{BC}/certificates/999999999", None),
        ("GET", f"{BC}/transmitters?hvin=gv-10", None),
        ("GET", f"{BC}/stations?q=toronto", None),
    ]:
        response = await client.request(method, url, headers=licensee, json=body)
        assert response.status_code < 500, (url, response.text)
    found = (await client.get(f"{BC}/transmitters", headers=licensee,
                              params={"hvin": "gv 10"})).json()
    assert [t["id"] for t in found["items"]] == ["TX-NAU-GV10"]
