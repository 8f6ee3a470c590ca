"""Hardened edges (issue 15, points 4 to 7): CSRF on cookie-borne API writes, malformed
multipart bodies and token claims, security headers, the JSON body limit, and the numbers of
the public stations CSV."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
import time
from pathlib import Path

import httpx
import pytest

from services.gateway.app import create_app
from services.gateway.embedded import EmbeddedSystem
from shared.config import DEV_SECRET
from tests.support.journey import token
from tests.support.portal import csrf_token, signin
from tests.support.sitedata_files import valid_file

LICENSEE = ("demo.licensee", "Demo-Licensee-2026!")
HOSTILE = "https://attacker.example"
UPLOADS = "/api/sitedata/uploads"
INVITE = "/api/identity/accounts/100000001/invitations"
ROOT = Path(__file__).resolve().parents[2]


def upload_files() -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("stations.csv", valid_file(), "text/csv")}


async def test_a_cookie_borne_write_from_another_site_is_refused(
        client: httpx.AsyncClient) -> None:
    await signin(client, *LICENSEE)
    invite = {"email": "new.user@example.ca", "rights": ["view"]}
    for headers in ({"Origin": HOSTILE}, {"Sec-Fetch-Site": "cross-site", "Origin": HOSTILE},
                    {"Referer": f"{HOSTILE}/page"}, {"Origin": "null"}, {}):
        replace = await client.post(UPLOADS, headers=headers, files=upload_files(),
                                    data={"mode": "replace"})
        assert replace.status_code == 403, (headers, replace.text)
        assert replace.json()["code"] == "AUTH-CSRF"
        invited = await client.post(INVITE, headers=headers, json=invite)
        assert invited.status_code == 403, (headers, invited.text)
    assert (await client.get(UPLOADS)).status_code == 200  # reads need nothing more


async def test_a_cookie_borne_write_from_this_site_or_with_the_token_is_accepted(
        client: httpx.AsyncClient) -> None:
    await signin(client, *LICENSEE)
    invite = {"email": "new.user@example.ca", "rights": ["view"]}
    assert (await client.post(INVITE, headers={"Origin": "http://testserver"},
                              json=invite)).status_code == 201
    assert (await client.post(INVITE, headers={"Sec-Fetch-Site": "same-origin"},
                              json=invite)).status_code == 201
    assert (await client.post(INVITE, headers={"Referer": "http://testserver/identity/x"},
                              json=invite)).status_code == 201
    form_token = await csrf_token(client, "/")
    with_token = await client.post(UPLOADS, headers={"X-CSRF-Token": form_token},
                                   files=upload_files(), data={"mode": "replace"})
    assert with_token.status_code == 202, with_token.text


async def test_bearer_token_calls_need_no_csrf_token(client: httpx.AsyncClient) -> None:
    headers = await token(client, *LICENSEE)
    client.cookies.clear()
    answer = await client.post(UPLOADS, headers={**headers, "Origin": HOSTILE},
                               files=upload_files(), data={"mode": "replace"})
    assert answer.status_code == 202, answer.text


async def test_the_upload_forms_keep_the_csrf_token_out_of_their_url(
        client: httpx.AsyncClient) -> None:
    await signin(client, *LICENSEE)
    page = (await client.get("/sitedata/upload")).text
    action = re.search(r'<form method="post" action="([^"]+)" enctype', page)
    assert action and action.group(1) == "/sitedata/upload"
    assert page.index('name="csrf_token"') < page.index('type="file"')
    for template in ROOT.glob("services/*/web/templates/*.html"):
        assert "csrf_token=" not in template.read_text(encoding="utf-8"), template
    form_token = await csrf_token(client, "/sitedata/upload")
    in_url = await client.post(f"/sitedata/upload?csrf_token={form_token}",
                               data={"mode": "replace"}, files=upload_files())
    assert in_url.status_code == 403 and "PORTAL-CSRF" in in_url.text


BOUNDARY = "sms-test-boundary"
MALFORMED = {
    "cut off in the file": f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
                           f'filename="a.csv"\r\n\r\nstation,city\r\n',
    "not multipart at all": "just some text",
    "broken header": f"--{BOUNDARY}\r\nContent-Disposition form-data\r\n\r\nx\r\n"
                     f"--{BOUNDARY}--\r\n",
    "no line end after the boundary": f'--{BOUNDARY}Content-Disposition: form-data; '
                                      f'name="file"\r\n\r\nx\r\n--{BOUNDARY}--',
    "two files": (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
                  f'filename="a.csv"\r\n\r\na\r\n') * 2 + f"--{BOUNDARY}--\r\n",
    "a huge part header": f"--{BOUNDARY}\r\nX-Junk: {'x' * 20000}\r\n\r\nx\r\n"
                          f"--{BOUNDARY}--\r\n",
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_a_malformed_multipart_body_is_a_400_problem_at_once(
        system: EmbeddedSystem, client: httpx.AsyncClient, case: str) -> None:
    headers = await token(client, *LICENSEE)
    kind = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    for url, auth in (("/api/identity/registrations/attachments", {}), (UPLOADS, headers)):
        started = time.monotonic()
        answer = await asyncio.wait_for(client.post(
            url, content=MALFORMED[case].encode(), headers={**kind, **auth}), timeout=5)
        assert answer.status_code == 400, (url, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "REQUEST-MULTIPART-INVALID"
        assert time.monotonic() - started < 2
    incoming = system.options.var_dir / "objects" / ".incoming"
    assert not list(incoming.glob("*.part"))  # nothing half-stored is left behind


def signed(claims: object, secret: str = DEV_SECRET) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64(mac)}"


@pytest.mark.parametrize("claims", [
    [], "a string", {"sub": "p"}, {"sub": 12, "usr": "x", "exp": 9999999999},
    {"sub": "p", "usr": "x", "exp": "tomorrow"},
    {"sub": "p", "usr": "x", "exp": 9999999999, "roles": "admin"},
    {"sub": "p", "usr": "x", "exp": 9999999999, "roles": [1]},
    {"sub": "p", "usr": "x", "exp": 9999999999, "gen": "0"},
    {"sub": "p", "usr": "x", "exp": 9999999999, "lang": ["en"]},
])
async def test_a_validly_signed_token_with_malformed_claims_is_a_401(
        client: httpx.AsyncClient, claims: object) -> None:
    answer = await client.get("/api/identity/me",
                              headers={"Authorization": f"Bearer {signed(claims)}"})
    assert answer.status_code == 401, answer.text
    assert answer.json()["code"] == "AUTH-TOKEN-INVALID"


@pytest.mark.parametrize("path", ["/", "/identity/signin", "/api/identity/registration-types",
                                  "/api/identity/me", "/no/such/page", "/static/portal/portal.js",
                                  "/docs", "/healthz"])
async def test_every_answer_carries_the_security_headers(
        client: httpx.AsyncClient, path: str) -> None:
    answer = await client.get(path)
    policy = answer.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"


async def test_static_scripts_are_served_and_pages_have_no_inline_script(
        client: httpx.AsyncClient) -> None:
    for script in ("portal.js", "swagger.js", "print.js"):
        answer = await client.get(f"/static/portal/{script}")
        assert answer.status_code == 200
        assert "javascript" in answer.headers["content-type"]
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", re.IGNORECASE)
    templates = [*ROOT.glob("services/**/templates/*.html"),
                 *ROOT.glob("shared/web/portal/templates/*.html")]
    assert len(templates) > 30
    for template in templates:
        assert not inline.search(template.read_text(encoding="utf-8")), template
    await signin(client, *LICENSEE)
    for page in ("/", "/sitedata/upload", "/docs"):
        assert not inline.search((await client.get(page)).text), page


async def test_a_json_body_over_the_limit_is_a_413_problem(client: httpx.AsyncClient) -> None:
    big = json.dumps({"username_or_email": "x" * (2 * 1024 * 1024)})
    declared = await client.post("/api/identity/password-reset", content=big,
                                 headers={"content-type": "application/json"})
    assert declared.status_code == 413, declared.text
    assert declared.json()["code"] == "REQUEST-TOO-LARGE"

    async def chunks() -> object:  # no Content-Length: counted while it arrives
        for _ in range(40):
            yield b"x" * 65536

    streamed = await client.post("/api/identity/password-reset", content=chunks(),
                                 headers={"content-type": "application/json"})
    assert streamed.status_code == 413, streamed.text
    assert streamed.json()["code"] == "REQUEST-TOO-LARGE"
    small = await client.post("/api/identity/password-reset",
                              json={"username_or_email": "nobody@example.ca"})
    assert small.status_code == 202


async def test_a_client_gone_mid_transfer_leaves_no_partial_file(
        system: EmbeddedSystem) -> None:
    """The browser closes the connection half-way through an upload: the partial file is
    removed at once (a kill of the server is the sweep at start: tests/unit)."""
    app = create_app(system.services, ready=lambda: system.ready)
    head = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="description"\r\n\r\n'
            f'scan\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.pdf"\r\n\r\n').encode()
    messages = [{"type": "http.request", "body": head, "more_body": True},
                *({"type": "http.request", "body": b"x" * 65536, "more_body": True}
                  for _ in range(20)), {"type": "http.disconnect"}]
    incoming = system.options.var_dir / "objects" / ".incoming"
    seen_partial = []

    async def receive() -> dict[str, object]:
        if len(messages) == 1:
            seen_partial.extend(incoming.glob("*.part"))
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(_: dict[str, object]) -> None:
        return None

    scope = {"type": "http", "method": "POST", "path": "/api/identity/registrations/attachments",
             "raw_path": b"/api/identity/registrations/attachments", "query_string": b"",
             "headers": [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
                         (b"host", b"testserver")], "http_version": "1.1", "scheme": "http",
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80), "root_path": ""}
    await app(scope, receive, send)
    assert seen_partial  # the file was being written when the client went
    assert not list(incoming.glob("*.part"))
