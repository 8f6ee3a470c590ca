"""Renewals end to end, on a clock the test moves: the renewal window, a refusal that lets the
licence lapse at the end of its term, subordinates that keep their own term and renew only
jointly, and radio licences renewed yearly by a paid invoice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.gateway.embedded import EmbeddedOptions, EmbeddedSystem
from services.licensing.handlers.operations import ExpireLicences
from shared.clock import FixedClock
from tests.e2e.test_licensing_applications import RADIO_OK
from tests.e2e.test_licensing_joint import PART2, licence
from tests.support.licensing import (
    API,
    decide,
    errors,
    holder_of_second_account,
    new_application,
    officer_and_licensee,
    reviewed,
    save,
    submit,
)
from tests.support.portal import signin

SUBORDINATE = {"licensee_name": "Northern Demo Wireless Inc.", "address": "1 Main St",
               "subordinate_account": "100000002", "proposed_issuance_date": "2029-11-15",
               "authority": True, "signer_name": "N. Owner", "signer_title": "President",
               "commercial_mobile_material": "Agreement summary."}


@pytest.fixture
def clock() -> FixedClock:  # the demo licences end 2030-03-31: their renewal window is open
    return FixedClock(datetime(2029, 11, 2, 15, 0, tzinfo=UTC))


@pytest.fixture
async def system(tmp_path: Path, clock: FixedClock) -> AsyncIterator[EmbeddedSystem]:
    embedded = EmbeddedSystem(EmbeddedOptions(var_dir=tmp_path / "var",
                                              base_url="http://testserver", clock=clock))
    await embedded.start()
    yield embedded
    await embedded.stop()


async def _joint(client: httpx.AsyncClient, licensee: dict[str, str], other: dict[str, str],
                 officer: dict[str, str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    app_id = await new_application(client, licensee, "subordinate")
    await save(client, licensee, app_id, {"part1": {**SUBORDINATE, "licences": rows}})
    await save(client, other, app_id, {"part2": PART2})
    assert await errors(client, licensee, app_id) == {}
    await submit(client, licensee, app_id)
    return await decide(client, officer, app_id, approve=True)


async def test_renewal_window_refusal_and_subordinates(system: EmbeddedSystem,
                                                       client: httpx.AsyncClient,
                                                       clock: FixedClock) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    line = {"primary_licence": "010898101", "geographic_area": "3-013"}
    issued = await _joint(client, licensee, other, officer, [
        {**line, "expires_on": "2030-01-31", "frequency_range": "1712-1714"},
        {**line, "expires_on": "2031-06-30", "frequency_range": "1714-1716"}])
    short, long_ = issued["licence_numbers"]
    assert (await licence(client, other, long_))["expires_on"] == "2030-03-31"  # capped

    early = await client.post(f"{API}/licences/010898199/renew", headers=officer, json={})
    assert early.status_code == 409 and early.json()["code"] == "LIC-RENEW-WINDOW"
    renewed = await client.post(f"{API}/licences/010898101/renew", headers=officer,
                                json={"years": 10})
    assert renewed.json() == ["010898101"]  # the subordinates keep their own terms
    assert (await licence(client, licensee, "010898101"))["expires_on"] == "2040-03-31"
    assert (await licence(client, other, short))["expires_on"] == "2030-01-31"
    assert (await licence(client, other, long_))["expires_on"] == "2030-03-31"
    alone = await client.post(f"{API}/licences/{long_}/renew", headers=officer, json={})
    assert alone.status_code == 409 and alone.json()["code"] == "LIC-RENEW"

    # renewed by a joint request of both licensees, to what it asks, within the primary
    again = await _joint(client, licensee, other, officer, [
        {"primary_licence": "010898101", "renew_licence": long_, "expires_on": "2035-03-31"}])
    assert again["outcome"]["renewed"] == [long_]
    assert (await licence(client, other, long_))["expires_on"] == "2035-03-31"

    refused = await client.post(f"{API}/licences/010898102/renew", headers=officer,
                                json={"refuse_reason": "Breach of the roll-out condition."})
    assert refused.json() == []
    kept = await licence(client, licensee, "010898102")
    assert (kept["status"], kept["expires_on"]) == ("Granted", "2030-03-31")
    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    page = (await client.get("/licensing/accounts/100000001", params={"lang": "fr"})).text
    assert "Renouvellement refusé" in page
    clock.set(datetime(2030, 4, 1, 9, 0, tzinfo=UTC))
    await ExpireLicences(system.service("licensing").uows).run_once()
    officer, licensee = await officer_and_licensee(client)  # signed in again, months later
    other = await holder_of_second_account(system)
    lapsed = await licence(client, licensee, "010898102")
    assert lapsed["status"] == "Expired" and "roll-out" in lapsed["status_reason"]
    assert (await licence(client, other, short))["status"] == "Expired"
    assert (await licence(client, licensee, "010898101"))["status"] == "Granted"
    await system.settle()


async def _invoice(client: httpx.AsyncClient, who: dict[str, str], number: str,
                   body: dict[str, Any] | None = None) -> httpx.Response:
    if body is None:
        return await client.get(f"{API}/invoices/{number}", headers=who)
    return await client.post(f"{API}/invoices/{number}/payments", headers=who, json=body)


async def test_radio_licences_renew_yearly_when_their_invoice_is_paid(
        system: EmbeddedSystem, client: httpx.AsyncClient, clock: FixedClock) -> None:
    officer, licensee = await officer_and_licensee(client)
    app_id = await new_application(client, licensee, "radio")
    await save(client, licensee, app_id, RADIO_OK)
    await submit(client, licensee, app_id)
    await reviewed(client, officer, app_id)  # RSP-101 5: the checklist before approval
    radio = (await decide(client, officer, app_id, approve=True))["licence_numbers"][0]
    assert (await licence(client, licensee, radio))["expires_on"] == "2030-03-31"

    run = await client.post(f"{API}/invoices/renewals", headers=officer,
                            json={"fiscal_year": 2031})
    assert run.status_code == 200 and len(run.json()) == 2  # 100000001's radio, 100000002's
    invoices = (await client.get(f"{API}/accounts/100000001/invoices", headers=licensee)).json()
    renewal = next(i for i in invoices["items"] if i["kind"] == "renewal")
    assert renewal["licence_numbers"] == [radio] and renewal["amount"] == "41.00"
    assert (await client.post(f"{API}/invoices/renewals", headers=officer,
                              json={"fiscal_year": 2031})).json() == []
    number = renewal["invoice_number"]

    assert (await _invoice(client, licensee, number, {"amount": "41.00"})).status_code == 403
    part = (await _invoice(client, officer, number, {"amount": "20.00", "reference": "CHQ 7"}))
    assert part.status_code == 200, part.text
    assert (part.json()["standing"], part.json()["balance"], part.json()["renewed"]) == (
        "Partly paid", "21.00", [])
    too_much = await _invoice(client, officer, number, {"amount": "30.00"})
    assert too_much.status_code == 409 and too_much.json()["code"] == "INV-OVERPAID"

    clock.set(datetime(2030, 4, 2, 9, 0, tzinfo=UTC))  # past due, and past the term
    await ExpireLicences(system.service("licensing").uows).run_once()
    officer, licensee = await officer_and_licensee(client)
    assert (await licence(client, licensee, radio))["status"] == "Expired"
    seen = (await _invoice(client, licensee, number)).json()
    assert seen["standing"] == "Overdue" and [p["reference"] for p in seen["payments"]] == [
        "CHQ 7"]
    overdue = (await client.get(f"{API}/invoices", headers=officer,
                                params={"standing": "Overdue"})).json()
    assert number in [i["invoice_number"] for i in overdue["items"]]

    paid = (await _invoice(client, officer, number, {"amount": "21.00"})).json()
    assert (paid["standing"], paid["renewed"]) == ("Paid", [radio])
    back = await licence(client, licensee, radio)
    assert (back["status"], back["expires_on"]) == ("Granted", "2031-03-31")
    settled = await _invoice(client, officer, number, {"amount": "1.00"})
    assert settled.status_code == 409 and settled.json()["code"] == "INV-SETTLED"

    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    page = (await client.get("/licensing/accounts/100000001")).text
    assert number in page and "Paid" in page and "Overdue" in page  # the issuance invoice
    french = (await client.get("/licensing/accounts/100000001", params={"lang": "fr"})).text
    assert "Payée" in french and "En souffrance" in french
    await system.settle()
