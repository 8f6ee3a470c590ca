"""Password reset by one-time link, lock-out, the TOTP second factor, the audit trail and
staff roles with their queues."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from sqlalchemy import select

from services.gateway.embedded import EmbeddedSystem
from services.identity.domain import totp
from tests.support.identity import PASSWORD, attachment, bearer, register, user
from tests.support.journey import token

ADMIN = ("demo.admin", "Demo-Admin-2026!")
NEW_PASSWORD = "N3w-Passw0rd!!"


async def outbox_data(system: EmbeddedSystem, event_type: str) -> list[dict[str, Any]]:
    identity = system.service("identity")
    async with identity.uows() as uow:
        rows = (await uow.session.execute(select(identity.tables.outbox.c.envelope))).all()
    return [e["data"] for e in (json.loads(r.envelope) for r in rows) if e["type"] == event_type]


async def sign_in(http: httpx.AsyncClient, username: str, password: str,
                  code: str | None = None) -> httpx.Response:
    data = {"username": username, "password": password}
    if code:
        data["totp"] = code
    return await http.post("/api/identity/token", data=data)


async def new_holder(http: httpx.AsyncClient) -> dict[str, Any]:
    person = user()
    await register(http, {"kind": "existing_holder", "user": person,
                          "account_number": "100000002", "shared_secret": "DEMO-2026-SMS2"})
    return person


async def test_lock_out_then_reset_by_one_time_link(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    person = await new_holder(client)
    for _ in range(5):
        assert (await sign_in(client, person["username"], "Wrong-Passw0rd!")).status_code == 401
    locked = await sign_in(client, person["username"], PASSWORD)
    assert locked.json()["code"] == "ID-LOCKED"

    unknown = await client.post("/api/identity/password-reset",
                                json={"username_or_email": "nobody@example.ca"})
    asked = await client.post("/api/identity/password-reset",
                              json={"username_or_email": person["email"]})
    assert unknown.status_code == asked.status_code == 202
    assert unknown.json() == asked.json()
    requested = await outbox_data(system, "identity.password.reset_requested")
    assert [r["email"] for r in requested] == [person["email"]]
    link = requested[0]["reset_url"]
    assert link.startswith("http://testserver/identity/reset/")
    reset_token = link.rsplit("/", 1)[-1]

    weak = await client.post(f"/api/identity/password-reset/{reset_token}",
                             json={"password": "weak", "confirm_password": "weak"})
    assert weak.json()["code"] == "ID-PASSWORD-WEAK"
    done = await client.post(f"/api/identity/password-reset/{reset_token}",
                             json={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 204, done.text
    used = await client.post(f"/api/identity/password-reset/{reset_token}",
                             json={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert used.status_code == 404
    assert (await sign_in(client, person["username"], PASSWORD)).status_code == 401
    assert (await sign_in(client, person["username"], NEW_PASSWORD)).status_code == 200

    headers = await bearer(client, person["username"], NEW_PASSWORD)
    trail = (await client.get("/api/identity/me/security-events", headers=headers)).json()
    kinds = [e["kind"] for e in trail["items"]]
    for kind in ("sign_in.failed", "locked_out", "password.reset_requested",
                 "password.changed", "sign_in", "account.linked", "profile.created"):
        assert kind in kinds
    assert "Wrong" not in json.dumps(trail)


async def test_totp_second_factor(system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    person = await new_holder(client)
    headers = await bearer(client, person["username"])
    setup = (await client.post("/api/identity/me/totp", headers=headers)).json()
    assert setup["otpauth_uri"].startswith("otpauth://totp/")
    now = system.infra.clock.now()
    wrong = await client.post("/api/identity/me/totp/confirm", headers=headers,
                              json={"code": "000000" if totp.code_at(setup["secret"], now)
                                    != "000000" else "111111"})
    assert wrong.status_code == 401
    on = await client.post("/api/identity/me/totp/confirm", headers=headers,
                           json={"code": totp.code_at(setup["secret"], now)})
    assert on.status_code == 204, on.text

    needed = await sign_in(client, person["username"], PASSWORD)
    assert needed.status_code == 401 and needed.json()["code"] == "ID-TOTP-REQUIRED"
    code = totp.code_at(setup["secret"], system.infra.clock.now())
    assert (await sign_in(client, person["username"], PASSWORD, code)).status_code == 200
    bad_password = await sign_in(client, person["username"], "Wrong-Passw0rd!", code)
    assert bad_password.json()["code"] == "ID-SIGN-IN-FAILED"
    me = (await client.get("/api/identity/me", headers=headers)).json()
    assert me["totp_enabled"] is True


async def test_administrators_give_staff_roles_and_each_role_sees_its_queue(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    admin = await token(client, *ADMIN)
    officer = await token(client, "demo.officer", "Demo-Officer-2026!")
    refused = await client.post("/api/identity/staff", headers=officer, json={
        "username": "bureau.officer", "password": PASSWORD, "email": "b@ised.example.ca",
        "roles": ["officer-equipment"]})
    assert refused.status_code == 403
    created = await client.post("/api/identity/staff", headers=admin, json={
        "username": "bureau.officer", "password": PASSWORD, "email": "b@ised.example.ca",
        "roles": ["officer-equipment"]})
    assert created.status_code == 201, created.text
    bureau = await bearer(client, "bureau.officer")
    assert (await client.get("/api/identity/me", headers=bureau)).json()["queues"] == ["ceb"]

    district_reg = await register(client, {"kind": "agent_existing_holder", "user": user(),
                                           "account_number": "100000002", "attachments": [
                                               await attachment(client)]})
    ceb_reg = await register(client, {"kind": "new_agent_existing_applicant", "user": user(),
                                      "account_number": "100000002"})
    queue = (await client.get("/api/identity/queue", headers=bureau)).json()
    assert [i["id"] for i in queue["items"]] == [ceb_reg["registration_id"]]
    denied = await client.post(
        f"/api/identity/registrations/{district_reg['registration_id']}/approve", headers=bureau)
    assert denied.status_code == 403 and denied.json()["code"] == "ID-QUEUE-DENIED"
    everything = (await client.get("/api/identity/queue", headers=admin)).json()
    assert {i["id"] for i in everything["items"]} == {ceb_reg["registration_id"],
                                                      district_reg["registration_id"]}

    trail = await client.get("/api/identity/security-events", headers=admin,
                             params={"profile_id": created.json()["profile_id"]})
    assert "staff.created" in {e["kind"] for e in trail.json()["items"]}
    assert (await client.get("/api/identity/security-events", headers=officer)
            ).status_code == 403


async def test_attachments_need_a_description_and_stay_small(
        client: httpx.AsyncClient) -> None:
    missing = await client.post("/api/identity/registrations/attachments",
                                files={"file": ("a.pdf", b"%PDF", "application/pdf")},
                                data={"description": "  "})
    assert missing.status_code == 422 and missing.json()["code"] == "ID-ATTACHMENT-DESCRIPTION"
    big = await client.post("/api/identity/registrations/attachments",
                            files={"file": ("a.pdf", b"x" * (10 * 1024 * 1024 + 1),
                                            "application/pdf")}, data={"description": "big"})
    assert big.status_code == 413


async def test_user_names_are_one_whatever_the_case_and_sign_in_ignores_case(
        client: httpx.AsyncClient) -> None:
    first = user("QA.Holder2")
    await register(client, {"kind": "existing_holder", "user": first,
                            "account_number": "100000002", "shared_secret": "DEMO-2026-SMS2"})
    again = await client.post("/api/identity/registrations", json={
        "kind": "existing_holder", "user": user("qa.holder2"), "account_number": "100000002",
        "shared_secret": "DEMO-2026-SMS2"})
    assert again.status_code == 409 and again.json()["code"] == "ID-USERNAME-TAKEN"
    for typed in ("qa.holder2", "QA.HOLDER2", " QA.Holder2"):
        signed = await sign_in(client, typed, PASSWORD)
        assert signed.status_code == 200, (typed, signed.text)
    me = (await client.get("/api/identity/me", headers={
        "Authorization": f"Bearer {signed.json()['access_token']}"})).json()
    assert me["username"] == "QA.Holder2"  # kept as its owner wrote it
    page = await client.get("/identity/signin")
    token_field = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token_field
    portal = await client.post("/identity/signin", data={
        "username": "QA.holder2", "password": PASSWORD, "next": "/",
        "csrf_token": token_field.group(1)})
    assert portal.status_code == 303 and "sms_session" in portal.cookies
