"""The portal over HTTP: language, sign-in, CSRF, error pages, the dashboards."""

from __future__ import annotations

from pathlib import Path

import httpx

from services.gateway.app import create_app
from services.gateway.embedded import EmbeddedSystem
from tests.support.portal import csrf_token, post_form, signin

LICENSEE = ("demo.licensee", "Demo-Licensee-2026!")
OFFICER = ("demo.officer", "Demo-Officer-2026!")


async def test_the_home_page_speaks_the_chosen_language_and_remembers_it(
        client: httpx.AsyncClient) -> None:
    english = await client.get("/")
    assert english.status_code == 200
    assert '<html lang="en">' in english.text and "Sign in" in english.text
    french = await client.get("/?lang=fr")
    assert '<html lang="fr">' in french.text and "Ouvrir une session" in french.text
    assert 'lang-href="/?lang=en"' in french.text
    again = await client.get("/identity/signin")
    assert '<html lang="fr">' in again.text


async def test_accept_language_picks_french_and_the_toggle_keeps_the_page(
        client: httpx.AsyncClient) -> None:
    page = await client.get("/identity/signin?next=%2Fsitedata%2Fuploads",
                            headers={"accept-language": "fr-CA,fr;q=0.9"})
    assert "Nom d&#39;utilisateur" in page.text
    assert 'lang-href="/identity/signin?next=%2Fsitedata%2Fuploads&amp;lang=en"' in page.text


async def test_signing_in_with_a_wrong_password_shows_a_linked_error_summary(
        client: httpx.AsyncClient) -> None:
    answer = await post_form(client, "/identity/signin",
                             {"username": "demo.licensee", "password": "wrong", "next": "/"})
    assert answer.status_code == 400
    assert 'href="#field-username"' in answer.text
    assert "The username or password is not right." in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert "sms_session" not in answer.cookies


async def test_signing_in_leads_to_the_dashboard_of_what_is_due(
        client: httpx.AsyncClient) -> None:
    answer = await post_form(client, "/identity/signin",
                             {"username": LICENSEE[0], "password": LICENSEE[1],
                              "next": "/"})
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "sms_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = await client.get("/")
    assert "My dashboard" in home.text and "010898101" in home.text
    assert "You are signed in." in home.text
    assert "You are signed in." not in (await client.get("/")).text
    signed_out = await post_form(client, "/identity/signout", {}, page="/")
    assert signed_out.status_code == 303
    assert "Already registered" in (await client.get("/")).text


async def test_a_form_without_its_csrf_token_is_refused_with_a_page(
        client: httpx.AsyncClient) -> None:
    await csrf_token(client, "/identity/signin")
    answer = await client.post("/identity/signin",
                               data={"username": LICENSEE[0], "password": LICENSEE[1]})
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert "PORTAL-CSRF" in answer.text and "Traceback" not in answer.text


async def test_a_page_that_needs_a_session_sends_the_visitor_to_sign_in(
        client: httpx.AsyncClient) -> None:
    answer = await client.get("/officer")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/identity/signin?next=%2Fofficer"


async def test_the_officer_dashboard_is_for_staff_only(client: httpx.AsyncClient) -> None:
    await signin(client, *LICENSEE)
    refused = await client.get("/officer")
    assert refused.status_code == 403 and "Only ISED staff" in refused.text
    await signin(client, *OFFICER)
    officer = await client.get("/officer?lang=fr")
    assert officer.status_code == 200 and "Tableau de bord de l&#39;agent" in officer.text


async def test_a_redirect_after_sign_in_never_leaves_the_site(client: httpx.AsyncClient) -> None:
    answer = await post_form(client, "/identity/signin",
                             {"username": LICENSEE[0], "password": LICENSEE[1],
                              "next": "//evil.example/"}, page="/identity/signin")
    assert answer.headers["location"] == "/"


async def test_a_profile_acting_for_several_accounts_chooses_one_after_sign_in(
        client: httpx.AsyncClient) -> None:
    token = await signin(client, *LICENSEE)
    added = await client.post("/api/identity/me/accounts",
                              json={"account_number": "100000002",
                                    "shared_secret": "DEMO-2026-SMS2"},
                              headers={"authorization": f"Bearer {token}"})
    assert added.status_code == 204, added.text
    client.cookies.clear()
    answer = await post_form(client, "/identity/signin",
                             {"username": LICENSEE[0], "password": LICENSEE[1],
                              "next": "/sitedata/upload"})
    assert answer.headers["location"] == "/identity/accounts/select?next=%2Fsitedata%2Fupload"
    choose = await client.get(answer.headers["location"])
    assert 'value="100000001"' in choose.text and 'value="100000002"' in choose.text
    refused = await post_form(client, "/identity/accounts/select",
                              {"next": "/sitedata/upload"}, page="/identity/accounts/select")
    assert refused.status_code == 400 and 'href="#field-account_number"' in refused.text
    chosen = await post_form(client, "/identity/accounts/select",
                             {"account_number": "100000002", "next": "/sitedata/upload"},
                             page="/identity/accounts/select")
    assert chosen.status_code == 303 and chosen.headers["location"] == "/sitedata/upload"
    home = await client.get("/")
    assert "You are acting for account 100000002." in home.text
    again = await client.get("/identity/accounts/select")
    assert 'value="100000002" checked' in again.text  # the account it acts for now


async def test_the_development_mailbox_lists_and_shows_the_mail_sent(
        system: EmbeddedSystem, tmp_path: Path) -> None:
    import mailbox
    from email.message import EmailMessage

    folder = tmp_path / "mail"
    message = EmailMessage()
    message["To"] = "holder@example.ca"
    message["Subject"] = "Votre inscription / Your registration"
    message["Date"] = "Sun, 22 Nov 2026 10:00:00 +0000"
    message.set_content("Bonjour,\nyour registration is approved.")
    key = mailbox.Maildir(folder, create=True).add(message)
    app = create_app(system.services, ready=lambda: True, maildir=folder)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as http:
        listing = await http.get("/dev/mailbox?lang=fr")
        assert "holder@example.ca" in listing.text and "22 novembre 2026" in listing.text
        shown = await http.get(f"/dev/mailbox/{key}")
        assert "your registration is approved." in shown.text
        assert (await http.get("/dev/mailbox/nope")).status_code == 404
