"""The cross-account matrix: no profile sees or acts on an account it is not linked to, and a
sub-user can do exactly its rights (the rights reach sitedata as identity.account.linked)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from services.gateway.embedded import EmbeddedSystem
from services.sitedata.adapters import tables as sitedata_tables
from tests.support.identity import accounts_of, bearer, register, user
from tests.support.journey import token, upload
from tests.support.sitedata_files import valid_file

OWNED, OTHER = "100000001", "100000002"


async def outbox_data(system: EmbeddedSystem, event_type: str) -> list[dict[str, Any]]:
    identity = system.service("identity")
    async with identity.uows() as uow:
        rows = (await uow.session.execute(select(identity.tables.outbox.c.envelope))).all()
    return [e["data"] for e in (json.loads(r.envelope) for r in rows) if e["type"] == event_type]


async def invite(system: EmbeddedSystem, http: httpx.AsyncClient, owner: dict[str, str],
                 rights: list[str], email: str = "helper@example.ca") -> str:
    response = await http.post(f"/api/identity/accounts/{OWNED}/invitations", headers=owner,
                               json={"email": email, "rights": rights})
    assert response.status_code == 201, response.text
    invited = [d for d in await outbox_data(system, "identity.subuser.invited")
               if d["invitation_id"] == response.json()["invitation_id"]]
    return str(invited[0]["invite_url"].rsplit("/", 1)[-1])


async def sub_user(system: EmbeddedSystem, http: httpx.AsyncClient, owner: dict[str, str],
                   rights: list[str]) -> tuple[str, dict[str, str]]:
    link = await invite(system, http, owner, rights)
    helper = user()
    accepted = await http.post(f"/api/identity/invitations/{link}/accept", json={"user": helper})
    assert accepted.status_code == 200, accepted.text
    await system.settle()
    return accepted.json()["profile_id"], await bearer(http, helper["username"])


async def test_a_profile_never_reaches_an_account_it_is_not_linked_to(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    other = user()
    await register(client, {"kind": "existing_holder", "user": other, "account_number": OTHER,
                            "shared_secret": "DEMO-2026-SMS2"})
    await system.settle()
    stranger = await bearer(client, other["username"])
    owner = await token(client)
    for method, path, body in [
            ("GET", f"/api/identity/accounts/{OWNED}/users", None),
            ("POST", f"/api/identity/accounts/{OWNED}/invitations",
             {"email": "x@example.ca", "rights": ["view"]}),
            ("PUT", f"/api/identity/accounts/{OWNED}/users/someone", {"rights": ["view"]}),
            ("DELETE", f"/api/identity/accounts/{OWNED}/users/someone", None),
            ("PUT", "/api/identity/me/active-account", {"account_number": OWNED})]:
        response = await client.request(method, path, json=body, headers=stranger)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["code"] == "ID-ACCOUNT-NOT-LINKED"
    assert set(await accounts_of(client, stranger)) == {OTHER}
    assert set(await accounts_of(client, owner)) == {OWNED}
    denied = await client.post(
        "/api/sitedata/uploads", headers=stranger, data={"mode": "replace", "account": OWNED},
        files={"file": ("s.csv", valid_file("010898101"), "text/csv")})
    assert denied.status_code == 403, denied.text
    wrong = await client.post("/api/identity/me/accounts", headers=stranger,
                              json={"account_number": OWNED, "shared_secret": "GUESS-1234"})
    assert wrong.status_code == 401
    assert set(await accounts_of(client, stranger)) == {OTHER}


async def test_a_sub_user_can_do_exactly_its_rights(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    owner = await token(client)
    helper_id, helper = await sub_user(system, client, owner, ["view"])
    linked = (await accounts_of(client, helper))[OWNED]
    assert linked == {"account_number": OWNED, "relation": "subuser", "rights": ["view"],
                      "legal_name": "Northern Demo Wireless Inc."}
    assert (await upload(client, helper, valid_file("010898101"))).status_code == 403
    manage = await client.get(f"/api/identity/accounts/{OWNED}/users", headers=helper)
    assert manage.status_code == 403 and manage.json()["code"] == "ID-OWNER-ONLY"

    changed = await client.put(f"/api/identity/accounts/{OWNED}/users/{helper_id}",
                               headers=owner, json={"rights": ["upload"]})
    assert changed.json()["rights"] == ["upload", "view"]
    await system.settle()
    assert (await upload(client, helper, valid_file("010898101"))).status_code == 202

    prepare_only = await client.put(f"/api/identity/accounts/{OWNED}/users/{helper_id}",
                                    headers=owner, json={"rights": ["prepare"]})
    assert prepare_only.json()["rights"] == ["prepare", "view"]
    await system.settle()
    assert (await upload(client, helper, valid_file("010898101"))).status_code == 403
    linked_events = [d for d in await outbox_data(system, "identity.account.linked")
                     if d["profile_id"] == helper_id]
    assert [d["rights"] for d in linked_events] == [["view"], ["upload", "view"],
                                                    ["prepare", "view"]]

    users = (await client.get(f"/api/identity/accounts/{OWNED}/users", headers=owner)).json()
    assert {u["relation"] for u in users["items"]} == {"owner", "subuser"}
    removed = await client.delete(f"/api/identity/accounts/{OWNED}/users/{helper_id}",
                                  headers=owner)
    assert removed.status_code == 204
    await system.settle()
    assert await accounts_of(client, helper) == {}
    assert (await upload(client, helper, valid_file("010898101"))).status_code == 403


async def test_an_invitation_is_used_once_and_a_signed_in_profile_can_accept(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    owner = await token(client)
    other = user()
    await register(client, {"kind": "existing_holder", "user": other, "account_number": OTHER,
                            "shared_secret": "DEMO-2026-SMS2"})
    holder_of_other = await bearer(client, other["username"])
    link = await invite(system, client, owner, ["submit"])
    accepted = await client.post(f"/api/identity/invitations/{link}/accept", json={},
                                 headers=holder_of_other)
    assert accepted.status_code == 200, accepted.text
    both = await accounts_of(client, holder_of_other)
    assert both[OWNED]["rights"] == ["prepare", "submit", "view"]
    assert both[OTHER]["relation"] == "owner"
    again = await client.post(f"/api/identity/invitations/{link}/accept", json={},
                              headers=holder_of_other)
    assert again.status_code == 404
    chosen = await client.put("/api/identity/me/active-account", headers=holder_of_other,
                              json={"account_number": OWNED})
    assert chosen.status_code == 204
    me = (await client.get("/api/identity/me", headers=holder_of_other)).json()
    assert me["active_account"] == OWNED


async def test_an_owner_adds_another_account_with_its_shared_secret(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    owner = await token(client)
    added = await client.post("/api/identity/me/accounts", headers=owner,
                              json={"account_number": OTHER, "shared_secret": "DEMO-2026-SMS2"})
    assert added.status_code == 204, added.text
    assert set(await accounts_of(client, owner)) == {OWNED, OTHER}


async def test_the_active_account_is_the_default_of_every_call_that_needs_an_account(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    owner = await token(client)
    await client.post("/api/identity/me/accounts", headers=owner,
                      json={"account_number": OTHER, "shared_secret": "DEMO-2026-SMS2"})
    await system.settle()
    unnamed = await upload(client, owner, valid_file())
    assert unnamed.status_code == 400 and unnamed.json()["code"] == "SD-ACCOUNT-REQUIRED"
    assert "active-account" in unnamed.json()["fix"]
    refused = await client.post("/api/licensing/applications", headers=owner,
                                json={"family": "spectrum"})
    assert refused.status_code == 400 and refused.json()["code"] == "APP-ACCOUNT-REQUIRED"
    for account in (OTHER, OWNED):
        chosen = await client.put("/api/identity/me/active-account", headers=owner,
                                  json={"account_number": account})
        assert chosen.status_code == 204
        await system.settle()  # the choice reaches sitedata, licensing and reports as an event
        sent = await upload(client, owner, valid_file())
        assert sent.status_code == 202, sent.text
        made = (await client.get(f"/api/sitedata/uploads/{sent.json()['id']}",
                                 headers=owner)).json()
        assert made["account_number"] == account
        created = await client.post("/api/licensing/applications", headers=owner,
                                    json={"family": "spectrum"})
        assert created.status_code == 201, created.text
        application = (await client.get(f"/api/licensing/applications/{created.json()['id']}",
                                        headers=owner)).json()
        assert application["account_number"] == account
        client.cookies.set("sms_session", owner["Authorization"].split()[1])
        status = await client.get("/reports/status")
        assert status.status_code == 200 and f"Account {account} (" in status.text
        other = OWNED if account == OTHER else OTHER
        assert f'href="/reports/status/{other}"' in status.text
        form = await client.get("/sitedata/upload")
        assert f'<option value="{account}" selected>' in form.text


async def test_a_sub_user_removed_from_its_active_account_acts_for_none(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    owner = await token(client)
    helper_id, helper = await sub_user(system, client, owner, ["upload"])
    await client.put("/api/identity/me/active-account", headers=helper,
                     json={"account_number": OWNED})
    await system.settle()
    sitedata = system.service("sitedata")

    async def active() -> object:
        async with sitedata.uows() as uow:
            return (await uow.session.execute(select(
                sitedata_tables.rm_active_accounts.c.account_number).where(
                sitedata_tables.rm_active_accounts.c.profile_id == helper_id))).scalar()

    assert await active() == OWNED
    removed = await client.delete(f"/api/identity/accounts/{OWNED}/users/{helper_id}",
                                  headers=owner)
    assert removed.status_code == 204
    await system.settle()
    assert await active() is None
    assert (await client.get("/api/identity/me", headers=helper)).json()["active_account"] is None
