"""Every link of every mail opens the right page: each template (every file in
services/notifications/templates, in English and in French) is rendered with real objects of
the running system, and each link is followed as the reader would, from a mail client: signed
out, through the sign-in page when the page needs a session, and back to the page, in the
mail's language."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select

from services.gateway.app import create_app
from services.gateway.embedded import EmbeddedSystem
from services.notifications.adapters.render import TEMPLATES, Renderer
from services.notifications.domain import documents as d
from services.notifications.domain import links
from services.notifications.domain import messages as m
from shared.web.portal.i18n import Catalogue
from shared.web.ratelimit import Limit, RateLimiter
from tests.support.identity import PASSWORD, holder, register, user
from tests.support.journey import token, upload, wait_final
from tests.support.licensing import new_application
from tests.support.portal import CSRF
from tests.support.sitedata_files import invalid_file, valid_file

BASE = "http://testserver"
LINK = re.compile(r"http://testserver(/[^\s<>\"']*)")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
LICENSEE = ("demo.licensee", "Demo-Licensee-2026!")
ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Catalogue([ROOT / "shared/web/portal/messages",
                       *(p / "web/messages" for p in (ROOT / "services").iterdir()
                         if (p / "web/messages").is_dir())])
WHEN = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Page:
    """Where a link must land: its title (a catalogue key and its values), and who may see
    it (None: a page open to anyone)."""

    title: str
    reader: tuple[str, str] | None
    values: dict[str, str]


@dataclass
class World:
    """Real objects of the running system that the mails are about."""

    processed: str
    errors: str
    application: str
    registration: str
    applicant: str
    reset_url: str
    invite_url: str


Case = tuple[m.Message | d.Letter, Page]


def cases(w: World) -> dict[str, Case]:
    """One message per template, built by the same code the mail handlers use."""
    me, acct = "someone@example.ca", "100000001"
    licensee = (LICENSEE[0], LICENSEE[1])
    applicant = (w.applicant, PASSWORD)
    signin = Page("identity.signin.title", None, {})
    app_page = Page("licensing.app.title", licensee, {"family": "licensing.family.spectrum"})
    account_page = Page("licensing.account.title", licensee, {"number": acct})
    upload_page = Page("sitedata.upload.title", licensee, {})
    app = {"application_id": w.application, "number": "A-1", "email": me, "language": "en",
           "base_url": BASE}
    licence = d.LicenceDocument("010898101", acct, "spectrum", "Granted", "", "renewed",
                                date(2026, 1, 1), date(2030, 3, 31), "Demo Licensee")
    contact = d.AccountContact(me, "en", "Demo Licensee", "Ottawa, ON", "E-mail")
    reminder = {"licence_number": "010898101", "account_number": acct, "due_on": "2026-12-31",
                "days_left": 5}
    built: dict[str, Case] = {
        "upload_processed": (m.upload_result("Processed", w.processed, "a.csv", 3, 0, me, "en",
                                             BASE), Page("sitedata.summary.title", licensee, {})),
        "upload_errors": (m.upload_result("Errors Found", w.errors, "b.csv", 0, 2, me, "en",
                                          BASE), Page("sitedata.errors.title", licensee, {})),
        "registration_received": (m.registration_received(
            username="x", email=me, language="en", needs_approval=True, base_url=BASE), signin),
        "registration_approved": (m.registration_approved(
            email=me, language="en", account_number=acct, base_url=BASE), signin),
        "registration_rejected": (m.registration_rejected(email=me, language="en",
                                                          reason="No."), signin),
        "registration_info_requested": (m.registration_info_requested(
            registration_id=w.registration, email=me, language="en", question="Why?",
            base_url=BASE), Page("identity.registration.title", applicant, {})),
        "password_reset": (m.password_reset(email=me, language="en", reset_url=w.reset_url,
                                            expires_at=WHEN),
                           Page("identity.reset.title", None, {})),
        "subuser_invited": (m.subuser_invited(
            email=me, language="en", account_number=acct, rights=["view"],
            invite_url=w.invite_url, expires_at=WHEN),
            Page("identity.invitation.title", None, {})),
        "application_submitted": (m.application_submitted(
            **app, family="spectrum", submitted_at=WHEN, service_standard_days=30), app_page),
        "application_info_requested": (m.application_info_requested(**app, question="Why?"),
                                       app_page),
        "application_approved": (m.application_decided(
            **app, decision="approved", reasons="", licence_numbers=["010898101"]), app_page),
        "application_denied": (m.application_decided(
            **app, decision="denied", reasons="No.", licence_numbers=[]), app_page),
        "licence": (d.deliver_licence(licence, contact, BASE), account_page),
        "invoice": (d.deliver_invoice(d.Invoice(
            "INV-1", acct, "Demo Licensee", "10.00", date(2026, 12, 31), "renewal", "E-mail",
            me, None, "en", ["010898101"], "SECRET"), ""), signin),
        "secret_reissued": (d.deliver_secret_notice(d.SecretNotice(
            acct, "Demo Licensee", me, "en", "Ottawa, ON", date(2026, 12, 1), "AB12-CD34-EF56"),
            BASE)[0], Page("identity.register.title", None, {})),
        "reminder_expiry": (m.Message("reminder_expiry", me, "en", {
            **reminder, "link": links.account(BASE, acct)}), account_page),
        "reminder_sitedata_due": (m.Message("reminder_sitedata_due", me, "en", {
            **reminder, "link": links.upload_form(BASE, acct)}), upload_page),
        "reminder_sitedata_overdue": (m.Message("reminder_sitedata_overdue", me, "en", {
            **reminder, "link": links.upload_form(BASE, acct)}), upload_page),
    }
    return built


def rendered_links(renderer: Renderer, what: m.Message | d.Letter, lang: str) -> list[str]:
    """The links of the message in one language, from both its text and its HTML."""
    if isinstance(what, d.Letter):
        letter = d.Letter(**{**what.__dict__, "language": lang})
        out = renderer.render_letter(letter, WHEN.date())
        texts = [out.text, out.html]
    else:
        out = renderer.render(m.Message(what.template, what.recipient, lang, what.context))
        texts = [out.text, out.html]
    found = [html.unescape(link) for text in texts for link in LINK.findall(text)]
    return sorted(set(found))


@pytest.fixture
async def app_clients(system: EmbeddedSystem) -> AsyncIterator[Callable[[], httpx.AsyncClient]]:
    app = create_app(system.services, ready=lambda: system.ready)
    opened: list[httpx.AsyncClient] = []

    def fresh() -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)
        opened.append(client)
        return client

    yield fresh
    for client in opened:
        await client.aclose()


async def outbox(system: EmbeddedSystem, event_type: str) -> list[dict[str, Any]]:
    identity = system.service("identity")
    async with identity.uows() as uow:
        rows = (await uow.session.execute(select(identity.tables.outbox.c.envelope))).all()
    return [e["data"] for e in (json.loads(r.envelope) for r in rows) if e["type"] == event_type]


async def world(system: EmbeddedSystem, client: httpx.AsyncClient) -> World:
    licensee = await token(client, *LICENSEE)
    good = (await upload(client, licensee, valid_file())).json()["id"]
    bad = (await upload(client, licensee, invalid_file())).json()["id"]
    for upload_id in (good, bad):
        await wait_final(client, licensee, upload_id)
    application = await new_application(client, licensee, "spectrum")
    applicant = user()
    registration = (await register(client, {"kind": "new_holder", "user": applicant,
                                            "holder": holder()}))["registration_id"]
    await client.post("/api/identity/password-reset",
                      json={"username_or_email": LICENSEE[0]})
    invited = await client.post("/api/identity/accounts/100000001/invitations",
                                headers=licensee,
                                json={"email": "helper@example.ca", "rights": ["view"]})
    assert invited.status_code == 201, invited.text
    resets = await outbox(system, "identity.password.reset_requested")
    invites = await outbox(system, "identity.subuser.invited")
    return World(good, bad, application, registration, applicant["username"],
                 resets[-1]["reset_url"], invites[-1]["invite_url"])


async def follow(client: httpx.AsyncClient, path: str, reader: tuple[str, str] | None
                 ) -> httpx.Response:
    """Open ``path`` signed out; sign in on the way when the page asks for it."""
    response = await client.get(path)
    if response.status_code == 303 and reader is not None:
        location = response.headers["location"]
        assert location.startswith("/identity/signin?"), (path, location)
        query = parse_qs(urlsplit(location).query)
        assert query["next"] == [path], (path, location)
        page = await client.get(location)
        assert page.status_code == 200, (location, page.status_code)
        token = CSRF.search(page.text)
        assert token, location
        back = await client.post("/identity/signin", data={
            "username": reader[0], "password": reader[1], "next": query["next"][0],
            "csrf_token": token.group(1)})
        assert back.status_code == 303 and back.headers["location"] == path, (
            path, back.status_code, back.headers.get("location"))
        response = await client.get(path)
    return response


async def test_every_link_of_every_mail_opens_its_page_in_the_mails_language(
        system: EmbeddedSystem, client: httpx.AsyncClient,
        app_clients: Callable[[], httpx.AsyncClient]) -> None:
    # the same readers sign in once per link (about thirty times a minute): above the sign-in
    # rate limits of identity, which are not what this test is about
    limits = system.service("identity").context.limits
    limits.sign_in_client = limits.sign_in_user = RateLimiter(Limit(1000, 60))
    known = cases(await world(system, client))
    templates = {p.name.split(".")[0] for p in TEMPLATES.glob("*.txt")}
    assert set(known) == templates, "a template without a link test"
    renderer = Renderer()
    followed = 0
    for name, (what, page) in sorted(known.items()):
        per_language = {lang: rendered_links(renderer, what, lang) for lang in ("en", "fr")}
        assert len(per_language["en"]) == len(per_language["fr"]), name
        for lang, found in per_language.items():
            assert all(f"lang={lang}" in link for link in found), (name, found)
            for path in found:
                response = await follow(app_clients(), path, page.reader)
                assert response.status_code == 200, (name, lang, path, response.status_code)
                assert f'<html lang="{lang}">' in response.text, (name, lang, path)
                values = {k: CATALOGUE.t(lang, v, {}) if k == "family" else v
                          for k, v in page.values.items()}
                title = html.unescape(H1.search(response.text).group(1)).strip()  # type: ignore[union-attr]
                assert title == CATALOGUE.t(lang, page.title, values), (name, lang, path)
                followed += 1
    assert followed >= 2 * 16  # every template but the rejection and the invoice has a link

