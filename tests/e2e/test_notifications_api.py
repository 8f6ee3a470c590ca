"""ISED staff see every delivery and the letters to post; nobody else does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx

from services.gateway.embedded import EmbeddedSystem
from shared.events.envelope import Payload
from shared.events.identity import PasswordResetRequestedV1
from shared.events.licensing import InvoiceIssuedV1
from tests.support.journey import token
from tests.unit.notifications.harness import eventually

OFFICER = ("demo.officer", "Demo-Officer-2026!")


async def emit(system: EmbeddedSystem, producer: str, payload: Payload, subject: str) -> None:
    """The event as the producing service raises it: through its outbox."""
    async with system.service(producer).uows() as uow:
        await uow.emit(payload, subject)
        await uow.commit()


def reset(email: str) -> PasswordResetRequestedV1:
    return PasswordResetRequestedV1(
        profile_id="p-reset", email=email, language="en",
        reset_url="http://testserver/identity/reset/abc",
        expires_at=datetime.now(UTC) + timedelta(hours=1))


async def test_staff_page_through_every_delivery(system: EmbeddedSystem,
                                                 client: httpx.AsyncClient) -> None:
    for n in range(3):
        await emit(system, "identity", reset(f"reset{n}@example.ca"), "p-reset")
    await system.mail.wait_for_async(3, timeout=30)
    staff = await token(client, *OFFICER)

    async def sent() -> dict[str, object]:
        response = await client.get("/api/notifications/deliveries", headers=staff, params={
            "template": "password_reset", "status": "sent", "limit": 2})
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    first = await eventually(sent, until=lambda body: body["total"] == 3)
    items = first["items"]
    assert isinstance(items, list) and len(items) == 2
    item = items[0]
    assert {"recipient", "template", "cause_event_id", "attempts", "status"} <= set(item)
    assert item["attempts"] == 1 and "text_body" not in item
    one = await client.get(f"/api/notifications/deliveries/{item['id']}", headers=staff)
    assert one.json()["recipient"] == item["recipient"]
    again = await client.post(f"/api/notifications/deliveries/{item['id']}/retry",
                              headers=staff)
    assert again.status_code == 409
    assert again.json()["code"] == "NT-DELIVERY-NOT-DEAD"


async def test_only_staff_see_deliveries(system: EmbeddedSystem,
                                         client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/api/notifications/deliveries")
    assert anonymous.status_code == 401
    licensee = await client.get("/api/notifications/deliveries",
                                headers=await token(client))
    assert licensee.status_code == 403
    assert licensee.headers["content-type"].startswith("application/problem+json")
    staff = await token(client, *OFFICER)
    missing = await client.get("/api/notifications/deliveries/nope", headers=staff)
    assert missing.status_code == 404 and missing.json()["code"] == "NT-DELIVERY-NOT-FOUND"
    bad = await client.get("/api/notifications/deliveries", headers=staff,
                           params={"status": "exploded", "limit": 0})
    assert bad.status_code == 422


async def test_an_invoice_by_mail_is_a_letter_staff_print_and_post(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    await emit(system, "licensing", InvoiceIssuedV1(
        invoice_number="INV-E2E-1", account_number="100000002", legal_name="Prairie Demo",
        amount="250.00", due_on=date(2027, 1, 31), kind="renewal", delivery="Mail",
        email="prairie@example.ca", shared_secret="DEMO-2026-SMS2",
        licence_numbers=["010898199"]), "100000002")
    staff = await token(client, *OFFICER)

    async def to_post() -> list[dict[str, object]]:
        response = await client.get("/api/notifications/letters", headers=staff,
                                    params={"status": "to_post"})
        assert response.status_code == 200, response.text
        return [x for x in response.json()["items"] if x["reference"] == "INV-E2E-1"]

    [letter] = await eventually(to_post)
    assert letter["kind"] == "invoice" and letter["account_number"] == "100000002"
    page = await client.get(f"/api/notifications/letters/{letter['id']}", headers=staff)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "DEMO-2026-SMS2" in page.text and "100000002" in page.text
    posted = await client.post(f"/api/notifications/letters/{letter['id']}/posted",
                               headers=staff)
    assert posted.json()["status"] == "posted"
    assert posted.json()["posted_by"] == "demo.officer"
    twice = await client.post(f"/api/notifications/letters/{letter['id']}/posted",
                              headers=staff)
    assert twice.status_code == 409
    licensee = await client.get(f"/api/notifications/letters/{letter['id']}",
                                headers=await token(client))
    assert licensee.status_code == 403
    assert [m for m in system.mail.messages if "INV-E2E-1" in (m.text or "")] == []
