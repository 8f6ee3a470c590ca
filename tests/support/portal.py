"""Helpers for testing portal pages over HTTP (httpx client, cookies kept)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ID = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]+)"')


def duplicate_ids(html: str) -> list[str]:
    """Element ids the page repeats (labels, error summaries and ARIA need them unique)."""
    seen: set[str] = set()
    repeated = [i for i in ID.findall(html) if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
    return sorted(set(repeated))


async def signin(client: httpx.AsyncClient, username: str, password: str) -> str:
    """Sign in through the token API and keep the session cookie; returns the token."""
    response = await client.post("/api/identity/token",
                                 data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    client.cookies.set("sms_session", token)
    return token


async def csrf_token(client: httpx.AsyncClient, page: str = "/") -> str:
    """Render ``page`` (which sets the CSRF cookie) and return its form token."""
    response = await client.get(page)
    found = CSRF.search(response.text)
    assert found, f"no CSRF token on {page} ({response.status_code})"
    return found.group(1)


async def post_form(client: httpx.AsyncClient, url: str, data: Mapping[str, str],
                    page: str | None = None) -> httpx.Response:
    """Post a form as a browser would: fetch the page first for the CSRF token."""
    token = await csrf_token(client, page or url)
    return await client.post(url, data={**data, "csrf_token": token})
