"""Steps of the licensing journeys (applications and the registry), for the e2e tests."""

from __future__ import annotations

from typing import Any

import httpx

from services.gateway.embedded import EmbeddedSystem
from shared.auth import Principal, issue_token
from shared.events.identity import AccountLinkedV1
from tests.support.journey import token

API = "/api/licensing"


async def holder_of_second_account(system: EmbeddedSystem) -> dict[str, str]:
    """A web profile owning account 100000002 (linked through identity's event)."""
    identity = system.service("identity")
    async with identity.uows() as uow:
        await uow.emit(AccountLinkedV1(profile_id="prairie-owner", account_number="100000002",
                                       relation="owner", rights=["view", "prepare", "submit"]),
                       subject="prairie-owner")
        await uow.commit()
    await system.settle()
    principal = Principal("prairie-owner", "prairie.owner")
    secret = system.service("licensing").settings.token_secret
    jwt = issue_token(principal, secret=secret, now=system.infra.clock.now(), ttl_s=3600)
    return {"Authorization": f"Bearer {jwt}"}


async def new_application(http: httpx.AsyncClient, who: dict[str, str], family: str,
                          account: str = "100000001", channel: str = "online") -> str:
    response = await http.post(f"{API}/applications", headers=who, json={
        "family": family, "account_number": account, "channel": channel})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def save(http: httpx.AsyncClient, who: dict[str, str], app_id: str,
               sections: dict[str, dict[str, Any]]) -> None:
    for key, data in sections.items():
        response = await http.put(f"{API}/applications/{app_id}/sections/{key}", headers=who,
                                  json=data)
        assert response.status_code == 204, response.text


async def errors(http: httpx.AsyncClient, who: dict[str, str], app_id: str) -> dict[str, Any]:
    response = await http.post(f"{API}/applications/{app_id}/validate", headers=who)
    assert response.status_code == 200, response.text
    return {k: {i["field"]: i["code"] for i in v}
            for k, v in response.json()["sections"].items() if v}


async def submit(http: httpx.AsyncClient, who: dict[str, str], app_id: str) -> str:
    response = await http.post(f"{API}/applications/{app_id}/submit", headers=who)
    assert response.status_code == 200, response.text
    return str(response.json()["number"])


async def decide(http: httpx.AsyncClient, officer: dict[str, str], app_id: str,
                 **body: Any) -> dict[str, Any]:
    response = await http.post(f"{API}/applications/{app_id}/decision", headers=officer,
                               json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def officer_and_licensee(
        http: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, str]]:
    return (await token(http, "demo.officer", "Demo-Officer-2026!"), await token(http))


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PAT = b"ANTENNA PATTERN JMPC-4\n0 1.000\n10 0.998\n20 0.990\n"


async def upload(http: httpx.AsyncClient, who: dict[str, str], app_id: str, kind: str,
                 filename: str = "document.pdf", content: bytes = PDF) -> httpx.Response:
    """Add a document to an application (multipart, as a client would)."""
    return await http.post(f"{API}/applications/{app_id}/documents", headers=who,
                           data={"kind": kind}, files={"file": (filename, content)})


async def attach(http: httpx.AsyncClient, who: dict[str, str], app_id: str,
                 *kinds: str) -> None:
    """Add one valid document of each kind."""
    for kind in kinds:
        name, content = ("pattern.pat", PAT) if kind == "antenna_pattern" else (
            f"{kind}.pdf", PDF)
        response = await upload(http, who, app_id, kind, name, content)
        assert response.status_code == 201, response.text


async def reviewed(http: httpx.AsyncClient, officer: dict[str, str], app_id: str) -> None:
    """The officer records every step of the application's review checklist as passed."""
    view = (await http.get(f"{API}/applications/{app_id}", headers=officer)).json()
    if view["review_items"]:
        response = await http.post(f"{API}/applications/{app_id}/checklist", headers=officer,
                                   json={"items": dict.fromkeys(view["review_items"],
                                                                "passed")})
        assert response.status_code == 204, response.text
