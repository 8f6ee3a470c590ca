"""Ready for people: the demo licensee can sign in and a site-data file would be accepted.

``/healthz`` answers as soon as the processes serve; the demo accounts reach sitedata's read
model a moment later, through the events. Until then an upload answers 403 SD-NO-ACCOUNT, so
a stack that says it is ready must wait for this too.
"""

from __future__ import annotations

import time

import httpx

USER, PASSWORD = "demo.licensee", "Demo-Licensee-2026!"


def demo_can_upload(url: str) -> bool:
    """Sign in as the demo licensee and dry-run the example file: True when it is valid."""
    with httpx.Client(base_url=url, timeout=10) as http:
        token = http.post("/api/identity/token", data={"username": USER, "password": PASSWORD})
        if token.status_code != 200:
            return False
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        example = http.get("/sitedata/example.csv")
        if example.status_code != 200:
            return False
        probe = http.post("/api/sitedata/uploads", headers=headers, params={"dry_run": "true"},
                          files={"file": ("example.csv", example.content, "text/csv")},
                          data={"mode": "replace"})
        return probe.status_code == 202 and probe.json().get("valid") is True


def wait_demo_ready(url: str, timeout: float = 180.0, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if demo_can_upload(url):
                return True
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    return False
