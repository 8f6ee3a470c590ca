"""The staff pages: deliveries with their result, letters to print and record as posted."""

from __future__ import annotations

from datetime import date

import httpx

from services.gateway.embedded import EmbeddedSystem
from shared.events.licensing import InvoiceIssuedV1
from tests.support.portal import post_form, signin
from tests.unit.notifications.harness import eventually


async def test_staff_see_deliveries_and_post_letters(system: EmbeddedSystem,
                                                     client: httpx.AsyncClient) -> None:
    async with system.service("licensing").uows() as uow:
        await uow.emit(InvoiceIssuedV1(
            invoice_number="INV-PAGE-1", account_number="100000002", legal_name="Prairie Demo",
            amount="250.00", due_on=date(2027, 1, 31), kind="renewal", delivery="Mail",
            email="prairie@example.ca", shared_secret="DEMO-2026-SMS2"), "100000002")
        await uow.emit(InvoiceIssuedV1(
            invoice_number="INV-PAGE-2", account_number="100000002", legal_name="Prairie Demo",
            amount="250.00", due_on=date(2027, 1, 31), kind="renewal", delivery="E-mail",
            email="prairie@example.ca", shared_secret="DEMO-2026-SMS2"), "100000002")
        await uow.commit()
    await system.mail.wait_for_async(1, timeout=30)
    await signin(client, "demo.officer", "Demo-Officer-2026!")

    async def listed() -> str:
        page = await client.get("/notifications/letters")
        assert page.status_code == 200, page.text
        return page.text if "INV-PAGE-1" in page.text else ""

    letters = await eventually(listed)
    letter_id = letters.split('href="/notifications/letters/')[1].split('"')[0]
    printable = await client.get(f"/notifications/letters/{letter_id}")
    assert "DEMO-2026-SMS2" in printable.text
    done = await post_form(client, f"/notifications/letters/{letter_id}/posted", {},
                           page="/notifications/letters")
    assert done.status_code == 303
    after = await client.get(done.headers["location"])
    assert "recorded as posted" in after.text and "demo.officer" in after.text

    async def sent() -> str:
        page = await client.get("/notifications/deliveries/sent")
        return page.text if "prairie@example.ca" in page.text else ""

    deliveries = await eventually(sent)
    assert "invoice" in deliveries
    french = await client.get("/notifications/deliveries?lang=fr")
    assert "Envois de courriels" in french.text


async def test_the_pages_are_for_staff_only(system: EmbeddedSystem,
                                            client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/notifications/deliveries")
    assert anonymous.status_code in (302, 303, 307)
    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    assert (await client.get("/notifications/deliveries")).status_code == 403
    assert (await client.get("/notifications/letters")).status_code == 403
