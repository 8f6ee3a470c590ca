"""Registry operations end to end: accounts from registrations, return, renewal, invoices."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from services.gateway.embedded import EmbeddedSystem
from services.licensing.adapters import tables as t
from shared.events.identity import NewAccountDetails, RegistrationApprovedV1
from tests.support.identity import register, user
from tests.support.licensing import API, holder_of_second_account, officer_and_licensee
from tests.support.portal import post_form, signin


async def test_an_approved_registration_creates_one_account(system: EmbeddedSystem) -> None:
    approved = RegistrationApprovedV1(
        registration_id="reg-1", profile_id="p-1", kind="new_licensee", email="new@example.ca",
        new_account=NewAccountDetails(legal_name="New Holder Inc.", province="BC",
                                      invoice_delivery="Mail", payment_email="ap@example.ca"))
    identity = system.service("identity")
    for _ in range(2):  # the same approval twice, under two event ids
        async with identity.uows() as uow:
            await uow.emit(approved, subject="reg-1")
            await uow.commit()
    await system.settle()
    licensing = system.service("licensing")
    async with licensing.uows() as uow:
        rows = (await uow.session.execute(select(t.accounts).where(
            t.accounts.c.registration_id == "reg-1"))).all()
    assert len(rows) == 1
    account = rows[0]
    assert account.account_number == "100000101" and account.office == "Pacific"
    assert account.invoice_delivery == "Mail" and account.payment_email == "ap@example.ca"
    assert "New Holder" not in account.secret_encrypted


async def test_returned_spectrum_is_published_for_expressions_of_interest(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    other = await holder_of_second_account(system)
    assert (await client.post(f"{API}/licences/010898102/return", headers=other,
                              json={})).status_code == 403
    returned = await client.post(f"{API}/licences/010898102/return", headers=licensee,
                                 json={"reason": "No longer needed."})
    assert returned.status_code == 200 and returned.json()["status"] == "Returned"
    available = (await client.get(f"{API}/available-spectrum", headers=other)).json()
    assert [x["licence_number"] for x in available["items"]] == ["010898102"]
    again = await client.post(f"{API}/licences/010898102/return", headers=licensee, json={})
    assert again.status_code == 409


async def test_suspend_amend_and_renew_with_notice(system: EmbeddedSystem,
                                                   client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    no_reason = await client.post(f"{API}/licences/010898103/status", headers=officer,
                                  json={"status": "Suspended", "reason": " "})
    assert no_reason.status_code == 400
    assert (await client.post(f"{API}/licences/010898103/status", headers=licensee, json={
        "status": "Suspended", "reason": "x"})).status_code == 403
    suspended = await client.post(f"{API}/licences/010898103/status", headers=officer,
                                  json={"status": "Suspended", "reason": "Site data overdue."})
    assert suspended.json()["status"] == "Suspended"
    reinstated = await client.post(f"{API}/licences/010898103/status", headers=officer,
                                   json={"status": "Granted", "reason": "Site data filed."})
    assert reinstated.json()["status"] == "Granted"
    amended = await client.post(f"{API}/licences/010898103/conditions", headers=officer,
                                json={"conditions": ["Monthly site data."], "reason": "Policy."})
    assert amended.json()["conditions"] == ["Monthly site data."]
    early = await client.post(f"{API}/licences/010898103/renew", headers=officer,
                              json={"years": 10})  # 2030-03-31 is years away
    assert early.status_code == 409 and early.json()["code"] == "LIC-RENEW-WINDOW"
    refused = await client.post(f"{API}/licences/010898104/renew", headers=officer,
                                json={"refuse_reason": "Breach of the roll-out condition."})
    assert refused.json() == []
    licence = (await client.get(f"{API}/licences/010898104", headers=licensee)).json()
    assert licence["status"] == "Granted" and licence["expires_on"] == "2030-03-31"
    assert "roll-out" in licence["status_reason"] and "lapses" in licence["status_reason"]


async def test_annual_renewal_invoices_are_issued_once(system: EmbeddedSystem,
                                                       client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    first = await client.post(f"{API}/invoices/renewals", headers=officer,
                              json={"fiscal_year": 2027})
    assert first.status_code == 200 and len(first.json()) == 2  # accounts 100000001, 100000002
    second = await client.post(f"{API}/invoices/renewals", headers=officer,
                               json={"fiscal_year": 2027})
    assert second.json() == []
    invoices = (await client.get(f"{API}/accounts/100000001/invoices", headers=licensee)).json()
    assert invoices["total"] == 1
    invoice = invoices["items"][0]
    assert invoice["kind"] == "renewal" and invoice["amount"] == "10000.00"
    assert invoice["licence_numbers"] == ["010898101", "010898102", "010898103", "010898104"]
    assert (await client.get(f"{API}/accounts/100000002/invoices",
                             headers=licensee)).status_code == 403
    await system.settle()


async def test_contacts_change_and_secret_reissue(system: EmbeddedSystem,
                                                  client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    changed = await client.put(f"{API}/accounts/100000001/contacts", headers=licensee, json={
        "payment_email": "ap@northern.example.ca", "invoice_delivery": "Mail"})
    assert changed.status_code == 200 and changed.json()["invoice_delivery"] == "Mail"
    wrong = await client.put(f"{API}/accounts/100000001/contacts", headers=licensee,
                             json={"licence_delivery": "Pigeon"})
    assert wrong.status_code == 400
    empty = await client.put(f"{API}/accounts/100000001/contacts", headers=licensee, json={})
    assert empty.status_code == 200 and empty.json()["invoice_delivery"] == "Mail"
    licensing = system.service("licensing")

    async def sealed() -> str:
        async with licensing.uows() as uow:
            return str((await uow.session.execute(select(t.accounts.c.secret_encrypted).where(
                t.accounts.c.account_number == "100000002"))).scalar())

    before = await sealed()
    assert (await client.post(f"{API}/accounts/100000002/secret",
                              headers=licensee)).status_code == 403
    assert (await client.post(f"{API}/accounts/100000002/secret",
                              headers=officer)).status_code == 204
    assert await sealed() != before
    await system.settle()


async def test_a_reissued_secret_reaches_the_account_by_mail_and_letter_and_says_who(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    await signin(client, "demo.officer", "Demo-Officer-2026!")
    page = await client.get("/licensing/accounts/100000002")
    assert 'id="secret-issued"' in page.text and "never re-issued" in page.text
    answer = await post_form(client, "/licensing/accounts/100000002/secret", {},
                             page="/licensing/accounts/100000002")
    assert answer.status_code == 303
    await system.settle()
    mails = [m for m in await system.mail.wait_for_async(1, timeout=30)
             if "prairie@example.ca" in m.rcpt_to]
    assert len(mails) == 1 and "shared secret" in mails[0].subject.lower()
    secret = re.search(r"Shared secret: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})",
                       mails[0].text or "")
    assert secret and secret.group(1) != "DEMO-2026-SMS2"
    letters = await client.get("/notifications/letters")
    assert "Shared secret" in letters.text and "100000002" in letters.text
    staff = {"Authorization": f"Bearer {client.cookies['sms_session']}"}
    [letter] = [x for x in (await client.get("/api/notifications/letters", headers=staff)
                            ).json()["items"] if x["kind"] == "secret"]
    printable = await client.get(f"/api/notifications/letters/{letter['id']}", headers=staff)
    assert secret.group(1) in printable.text and "Prairie Demo Telecom Ltd." in printable.text
    after = await client.get("/licensing/accounts/100000002")
    assert "re-issued by demo.officer" in after.text and secret.group(1) not in after.text
    view = (await client.get(f"{API}/accounts/100000002", headers=staff)).json()
    assert view["secret_issued_by"] == "demo.officer" and view["secret_issued_at"]
    # the new pair opens the account; the old one no longer does
    old = await client.post("/api/identity/registrations", json={
        "kind": "existing_holder", "user": user(), "account_number": "100000002",
        "shared_secret": "DEMO-2026-SMS2"})
    assert old.status_code == 401 and old.json()["code"] == "ID-SECRET-WRONG"
    new = await register(client, {"kind": "existing_holder", "user": user(),
                                  "account_number": "100000002",
                                  "shared_secret": secret.group(1)})
    assert new["status"] == "approved"
