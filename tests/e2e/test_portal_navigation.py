"""The top navigation: every area the person may use, in English and French, the current one
marked; each entry opens a page that person may see."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.portal import signin

MENU = re.compile(r'<nav slot="menu".*?</nav>', re.DOTALL)
ENTRY = re.compile(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>')
PEOPLE = {"licensee": ("demo.licensee", "Demo-Licensee-2026!"),
          "officer": ("demo.officer", "Demo-Officer-2026!"),
          "admin": ("demo.admin", "Demo-Admin-2026!")}
AREAS = {
    None: ["Home", "Register", "Site Data Browser"],
    "licensee": ["Home", "Applications", "Licences", "Site data", "Status report",
                 "Site Data Browser", "My profile"],
    "officer": ["Officer dashboard", "Registrations", "Applications to review",
                "Client accounts", "Operations dashboard", "Mail and letters",
                "Site Data Browser", "My profile"],
    "admin": ["Officer dashboard", "Registrations", "Applications to review",
              "Client accounts", "Operations dashboard", "Mail and letters",
              "Site Data Browser", "Administration", "My profile"],
}


def menu(html: str) -> list[tuple[str, str, str]]:
    found = MENU.search(html)
    assert found, "no menu"
    return [(href, current, text) for href, current, text in ENTRY.findall(found.group(0))
            if href != "/dev/mailbox"]


@pytest.mark.parametrize("who", list(AREAS))
async def test_the_menu_offers_every_area_of_the_person_and_each_one_opens(
        client: httpx.AsyncClient, who: str | None) -> None:
    if who is not None:
        await signin(client, *PEOPLE[who])
    entries = menu((await client.get("/")).text)
    assert [text for _, _, text in entries] == AREAS[who]
    for href, _, text in entries:
        page = await client.get(href, follow_redirects=True)
        assert page.status_code == 200, (who, text, href, page.status_code)
        marked = [t for _, current, t in menu(page.text) if current]
        assert marked == [text], (who, href, marked)


async def test_the_menu_is_in_french_and_marks_the_area_of_a_page_deep_inside_it(
        client: httpx.AsyncClient) -> None:
    await signin(client, *PEOPLE["licensee"])
    french = menu((await client.get("/sitedata/columns?lang=fr")).text)
    assert [t for _, _, t in french] == ["Accueil", "Demandes", "Licences", "Données de site",
                                        "Rapport d&#39;état", "Navigateur des données de site",
                                        "Mon profil"]
    assert [(t, c) for _, c, t in french if c] == [("Données de site", "true")]
    own = menu((await client.get("/sitedata/uploads?lang=en")).text)
    assert [(t, c) for _, c, t in own if c] == [("Site data", "page")]


async def test_licences_open_the_account_the_licensee_acts_for_and_staff_look_one_up(
        client: httpx.AsyncClient) -> None:
    await signin(client, *PEOPLE["licensee"])
    mine = await client.get("/licensing/accounts")
    assert mine.status_code == 303 and mine.headers["location"] == "/licensing/accounts/100000001"
    client.cookies.clear()
    await signin(client, *PEOPLE["officer"])
    lookup = await client.get("/licensing/accounts")
    assert lookup.status_code == 200 and 'name="number"' in lookup.text
    found = await client.get("/licensing/accounts", params={"number": "100000002"})
    assert found.headers["location"] == "/licensing/accounts/100000002"


async def test_only_an_administrator_opens_the_administration(
        client: httpx.AsyncClient) -> None:
    await signin(client, *PEOPLE["officer"])
    refused = await client.get("/identity/admin")
    assert refused.status_code == 403 and "Only an administrator" in refused.text
    client.cookies.clear()
    await signin(client, *PEOPLE["admin"])
    page = await client.get("/identity/admin")
    assert page.status_code == 200 and "demo.officer" in page.text and "sign_in" in page.text
