"""Each of the officer's three decisions reaches the applicant by mail (through notifications)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.identity import attachment, bearer, holder, register, user
from tests.support.journey import token


async def mails_to(system: EmbeddedSystem, address: str, count: int,
                   timeout: float = 30.0) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in system.mail.messages if address in m.rcpt_to]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"{address} got {len(found)} of {count} mails")


async def test_request_info_reject_and_approve_each_mail_the_applicant(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer = await token(client, "demo.officer", "Demo-Officer-2026!")
    asked = user(email="asked@example.ca")
    first = await register(client, {"kind": "agent_existing_holder", "user": asked,
                                    "account_number": "100000002",
                                    "attachments": [await attachment(client)]})
    await client.post(f"/api/identity/registrations/{first['registration_id']}/request-info",
                      json={"question": "Please sign the form."}, headers=officer)
    mails = await mails_to(system, "asked@example.ca", 2)
    assert any("Please sign the form." in (m.text or "") for m in mails)

    answer = {"answer": "Signed.", "attachments": [await attachment(client, "Signed form")]}
    await client.post(f"/api/identity/registrations/{first['registration_id']}/resubmit",
                      json=answer, headers=await bearer(client, asked["username"]))
    await client.post(f"/api/identity/registrations/{first['registration_id']}/approve",
                      headers=officer)
    await mails_to(system, "asked@example.ca", 3)

    refused = user(email="refused@example.ca")
    second = await register(client, {"kind": "new_holder", "user": refused,
                                     "holder": holder()})
    await client.post(f"/api/identity/registrations/{second['registration_id']}/reject",
                      json={"reason": "Not a registered company."}, headers=officer)
    mails = await mails_to(system, "refused@example.ca", 2)
    assert any("Not a registered company." in (m.text or "") for m in mails)


async def test_a_new_holder_is_told_its_new_account_number(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer = await token(client, "demo.officer", "Demo-Officer-2026!")
    applicant = user(email="newco@example.ca")
    created = await register(client, {"kind": "new_holder", "user": applicant,
                                      "holder": holder("Newco Radio Ltd.")})
    await client.post(f"/api/identity/registrations/{created['registration_id']}/approve",
                      headers=officer)
    await system.settle()
    me = (await client.get("/api/identity/me",
                           headers=await bearer(client, applicant["username"]))).json()
    assert [a["legal_name"] for a in me["accounts"]] == ["Newco Radio Ltd."]
    number = me["accounts"][0]["account_number"]
    mails = await mails_to(system, "newco@example.ca", 2)
    assert any(number in (m.text or "") for m in mails)
