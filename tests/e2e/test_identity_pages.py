"""The portal pages of identity: the registration flows with Back/Next/Review/Submit, the
officer's queue, the profile, sub-users, invitations and password reset."""

from __future__ import annotations

import re

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.identity import PASSWORD, accounts_of, bearer
from tests.support.portal import csrf_token, duplicate_ids, post_form, signin

USER = {"username": "page.user", "password": PASSWORD, "confirm_password": PASSWORD,
        "name": "Pat Page", "phone": "613-555-0100", "email": "page.user@example.ca",
        "language": "en"}
HOLDER = {"legal_name": "Page Radio Inc.", "small_business": "yes", "street": "1 Main St",
          "city": "Ottawa", "province": "ON", "postal_code": "K1A 0A1",
          "contact_name": "Pat Page", "business_phone": "613-555-0101",
          "business_email": "office@page.example.ca", "delivery": "E-mail",
          "status_email": "status@page.example.ca", "invoices_elsewhere": "no"}


async def step(client: httpx.AsyncClient, name: str, data: dict[str, str],
               action: str = "next") -> httpx.Response:
    return await post_form(client, f"/identity/register/{name}", {**data, "action": action})


async def test_new_holder_walks_every_page_and_an_officer_approves_it(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    chose = await post_form(client, "/identity/register", {"kind": "new_holder"})
    assert chose.status_code == 303 and chose.headers["location"] == "/identity/register/user"
    weak = await step(client, "user", {**USER, "password": "short", "confirm_password": "short"})
    assert weak.status_code == 400 and "upper case" in weak.text
    taken = await step(client, "user", {**USER, "username": "demo.licensee"})
    assert taken.status_code == 400 and 'href="#field-username"' in taken.text
    assert (await step(client, "user", USER)).headers["location"].endswith("/holder")
    missing = await step(client, "holder", {**HOLDER, "city": "", "small_business": ""})
    assert missing.status_code == 400
    assert 'href="#field-city"' in missing.text and 'href="#field-small_business"' in missing.text
    assert (await step(client, "holder", HOLDER)).headers["location"].endswith("/attachments")

    back = await step(client, "attachments", {}, action="back")
    assert back.headers["location"].endswith("/holder")
    again = await client.get("/identity/register/holder")
    assert 'value="Page Radio Inc."' in again.text  # Back keeps what was entered
    await step(client, "holder", HOLDER)
    token = await csrf_token(client, "/identity/register/attachments")
    added = await client.post("/identity/register-attachment",
                              files={"file": ("licence.pdf", b"%PDF-1.4", "application/pdf")},
                              data={"csrf_token": token, "description": "Incorporation"})
    assert added.status_code == 303, added.text
    assert (await step(client, "attachments", {})).headers["location"].endswith("/review")
    review = await client.get("/identity/register/review")
    assert "Page Radio Inc." in review.text and "licence.pdf" in review.text
    assert PASSWORD not in review.text
    done = await step(client, "review", {})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/identity/register-done?status=pending"

    await signin(client, "demo.officer", "Demo-Officer-2026!")
    queue = await client.get("/identity/officer/queue")
    link = re.search(r'href="(/identity/officer/registrations/[^"]+)"', queue.text)
    assert link, queue.text
    page = await client.get(link.group(1))
    assert "Page Radio Inc." in page.text and "Incorporation" in page.text
    decided = await post_form(client, link.group(1), {"decision": "approve"})
    assert decided.status_code == 303, decided.text
    await system.settle()
    client.cookies.clear()
    linked = await accounts_of(client, await bearer(client, "page.user"))
    assert [a["legal_name"] for a in linked.values()] == ["Page Radio Inc."]


async def test_existing_holder_registers_with_its_shared_secret_in_french(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    page = await client.get("/identity/register?lang=fr")
    assert "Demandeur actuel" in page.text and "Organisme de certification" in page.text
    await post_form(client, "/identity/register", {"kind": "existing_holder"})
    await step(client, "user", {**USER, "username": "page.holder"})
    wrong = await step(client, "account", {"account_number": "100000002",
                                           "shared_secret": ""})
    assert wrong.status_code == 400 and "#field-shared_secret" in wrong.text
    await step(client, "account", {"account_number": "100000002",
                                   "shared_secret": "DEMO-2026-SMS2"})
    review = await client.get("/identity/register/review")
    assert "DEMO-2026-SMS2" not in review.text and "Soumettre" in review.text
    done = await step(client, "review", {})
    assert done.headers["location"] == "/identity/register-done?status=approved"
    linked = await accounts_of(client, await bearer(client, "page.holder"))
    assert list(linked) == ["100000002"]


async def test_an_agent_searches_the_licensee_and_picks_its_account(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    await post_form(client, "/identity/register", {"kind": "new_agent_existing_applicant"})
    await step(client, "user", {**USER, "username": "page.agent"})
    nothing = await step(client, "account", {})
    assert nothing.status_code == 400
    found = await client.get("/identity/register/account", params={"name": "Prairie"})
    assert "100000002" in found.text and "Prairie Demo Telecom Ltd." in found.text
    assert (await step(client, "account", {"account_number": "100000002"})
            ).headers["location"].endswith("/review")
    done = await step(client, "review", {})
    assert done.headers["location"] == "/identity/register-done?status=pending"


async def test_owner_invites_a_sub_user_who_accepts_on_the_invitation_page(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    profile = await client.get("/identity/profile")
    assert "/identity/accounts/100000001/users" in profile.text
    token = await csrf_token(client, "/identity/accounts/100000001/users")
    sent = await client.post("/identity/accounts/100000001/users", data={
        "csrf_token": token, "action": "invite", "email": "helper@example.ca",
        "rights": ["view", "upload"]})
    assert sent.status_code == 303, sent.text
    await system.settle()
    mail = next(m for m in await system.mail.wait_for_async(1, timeout=30)
                if "helper@example.ca" in m.rcpt_to)
    link = re.search(r"/identity/invitations/[A-Za-z0-9_-]+", mail.text or "")
    assert link, mail.text
    client.cookies.clear()
    accepted = await post_form(client, link.group(0), {
        "username": "page.helper", "password": PASSWORD, "confirm_password": PASSWORD,
        "email": "helper@example.ca"})
    assert accepted.status_code == 303, accepted.text
    linked = await accounts_of(client, await bearer(client, "page.helper"))
    assert linked["100000001"]["rights"] == ["upload", "view"]


async def test_password_reset_pages(system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    sent = await post_form(client, "/identity/reset", {"who": "demo.licensee"})
    assert sent.status_code == 303
    await system.settle()
    mail = (await system.mail.wait_for_async(1, timeout=30))[-1]
    link = re.search(r"/identity/reset/[A-Za-z0-9_-]+", mail.text or "")
    assert link, mail.text
    weak = await post_form(client, link.group(0), {"password": "x", "confirm_password": "x"})
    assert weak.status_code == 400
    done = await post_form(client, link.group(0), {"password": "N3w-Passw0rd!!",
                                                   "confirm_password": "N3w-Passw0rd!!"})
    assert done.status_code == 303
    assert (await client.post("/api/identity/token", data={
        "username": "demo.licensee", "password": "N3w-Passw0rd!!"})).status_code == 200


async def test_second_factor_is_set_up_on_the_profile(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    from services.identity.domain import totp

    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    started = await post_form(client, "/identity/profile/totp", {"action": "start"})
    secret = re.search(r"<code>([A-Z2-7]+)</code>", started.text)
    assert secret, started.text
    wrong = await post_form(client, "/identity/profile/totp", {"action": "confirm",
                                                               "code": "12345"})
    assert wrong.status_code == 400
    code = totp.code_at(secret.group(1), system.infra.clock.now())
    on = await post_form(client, "/identity/profile/totp", {"action": "confirm", "code": code})
    assert on.status_code == 303, on.text
    needed = await client.post("/api/identity/token", data={
        "username": "demo.licensee", "password": "Demo-Licensee-2026!"})
    assert needed.json()["code"] == "ID-TOTP-REQUIRED"


async def test_the_registration_type_page_gives_each_radio_its_own_id(
        client: httpx.AsyncClient) -> None:
    page = await client.get("/identity/register")
    assert page.text.count('type="radio"') == 10 and duplicate_ids(page.text) == []
    refused = await post_form(client, "/identity/register", {})
    assert refused.status_code == 400 and 'href="#field-kind"' in refused.text
    assert duplicate_ids(refused.text) == []


async def test_the_existing_agents_user_page_does_not_demand_an_email(
        client: httpx.AsyncClient) -> None:
    await post_form(client, "/identity/register", {"kind": "existing_agent"})
    page = await client.get("/identity/register/user")
    email = re.search(r'<input id="field-email"[^>]*>', page.text)
    assert email and "required" not in email.group(0)
    bare = {k: USER[k] for k in ("username", "password", "confirm_password")}
    left = await step(client, "user", {**bare, "username": "bare.agent"})
    assert left.status_code == 303 and left.headers["location"].endswith("/account"), left.text
