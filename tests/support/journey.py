"""Steps of the user journeys, shared by the embedded and the real-stack tests."""

from __future__ import annotations

import asyncio
import time

import httpx

FINAL = {"Processed", "Errors Found"}


async def token(http: httpx.AsyncClient, username: str = "demo.licensee",
                password: str = "Demo-Licensee-2026!") -> dict[str, str]:
    response = await http.post("/api/identity/token",
                               data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    return {"Authorization": f"Bearer {body['access_token']}"}


async def upload(http: httpx.AsyncClient, headers: dict[str, str], content: bytes, *,
                 name: str = "stations.csv", mode: str = "replace",
                 params: dict[str, str] | None = None) -> httpx.Response:
    return await http.post("/api/sitedata/uploads", headers=headers, params=params,
                           files={"file": (name, content, "text/csv")}, data={"mode": mode})


async def wait_final(http: httpx.AsyncClient, headers: dict[str, str], upload_id: str,
                     timeout: float = 60.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = await http.get(f"/api/sitedata/uploads/{upload_id}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in FINAL:
            return dict(body)
        await asyncio.sleep(0.1)
    raise AssertionError(f"upload {upload_id} did not finish in {timeout}s")


async def eventually(check, timeout: float = 30.0, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Retry an async check until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met in {timeout}s (last: {last!r})")
