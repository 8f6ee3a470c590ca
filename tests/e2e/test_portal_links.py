"""Every link a page shows leads somewhere: the portal crawled as a visitor, a licensee and an
officer, following each same-site ``<a href>`` from the home page (no 404, no 5xx); and no
page reached repeats an element id."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.support.portal import duplicate_ids, signin

HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]+)', re.IGNORECASE)
SKIP = ("/static/", "signout", "sign-out", "logout", "/api/", "/docs", "/openapi.json")
LIMIT = 120  # pages per crawl: every page kind is reached well before this


async def crawl(client: httpx.AsyncClient, start: str,
                repeated: dict[str, list[str]] | None = None) -> dict[str, int]:
    """Status of every same-site page reached from ``start`` (query strings kept); pages that
    repeat an element id go into ``repeated``."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < LIMIT:
        path = queue.popleft()
        if path in seen:
            continue
        response = await client.get(path)
        seen[path] = response.status_code
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if repeated is not None and duplicate_ids(response.text):
            repeated[path] = duplicate_ids(response.text)
        for href in HREF.findall(response.text):
            target = urljoin(f"http://testserver{path}", href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc != "testserver" or any(s in parts.path for s in SKIP):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


@pytest.mark.parametrize("who", [None, ("demo.licensee", "Demo-Licensee-2026!"),
                                 ("demo.officer", "Demo-Officer-2026!")])
async def test_no_link_on_any_page_is_broken(client: httpx.AsyncClient,
                                             who: tuple[str, str] | None) -> None:
    if who is not None:
        await signin(client, *who)
    repeated: dict[str, list[str]] = {}
    seen = await crawl(client, "/", repeated)
    broken = {path: status for path, status in seen.items() if status == 404 or status >= 500}
    assert len(seen) > 5 and not broken, broken
    assert repeated == {}


async def test_an_offset_past_any_list_is_refused_not_a_server_error(
        client: httpx.AsyncClient) -> None:
    await signin(client, "demo.officer", "Demo-Officer-2026!")
    for page in ("/sitedata/uploads", "/reports/browser", "/notifications/deliveries"):
        response = await client.get(page, params={"offset": 2**63})
        assert 400 <= response.status_code < 500, (page, response.status_code)
