"""Ready for people: the demo licensee can sign in and a site-data file would be accepted.

``/healthz`` answers as soon as the processes serve; the demo accounts reach sitedata's read
model a moment later, through the events. Until then an upload answers 403 SD-NO-ACCOUNT, so
a stack that says it is ready must wait for this too. It signs in once (sign-ins are rate
limited per client) and then tries a dry run of the example file until it is valid.
"""

from __future__ import annotations

import time

import httpx

USER, PASSWORD = "demo.licensee", "Demo-Licensee-2026!"


def _sign_in(http: httpx.Client) -> dict[str, str] | None:
    token = http.post("/api/identity/token", data={"username": USER, "password": PASSWORD})
    if token.status_code == 429:
        time.sleep(min(float(token.headers.get("retry-after", "5")), 30.0))
        return None
    if token.status_code != 200:
        return None
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _can_upload(http: httpx.Client, headers: dict[str, str]) -> bool:
    example = http.get("/sitedata/example.csv")
    if example.status_code != 200:
        return False
    probe = http.post("/api/sitedata/uploads", headers=headers, params={"dry_run": "true"},
                      files={"file": ("example.csv", example.content, "text/csv")},
                      data={"mode": "replace"})
    return probe.status_code == 202 and probe.json().get("valid") is True


def wait_demo_ready(url: str, timeout: float = 180.0, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    headers: dict[str, str] | None = None
    with httpx.Client(base_url=url, timeout=10) as http:
        while time.monotonic() < deadline:
            try:
                headers = headers or _sign_in(http)
                if headers is not None and _can_upload(http, headers):
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(interval)
    return False
