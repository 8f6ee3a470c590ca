"""Sessions and roles are revocable (issue 15, point 2): a role change, signing out, a
password change or reset, disabling a profile and removing its staff roles end every token
and session of that profile at once, in identity and in every other service, and each is in
the audit trail."""

from __future__ import annotations

from typing import Any

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.identity import PASSWORD, bearer
from tests.support.portal import post_form, signin

ADMIN = ("demo.admin", "Demo-Admin-2026!")
LICENSEE = ("demo.licensee", "Demo-Licensee-2026!")
NEW_PASSWORD = "N3w-Passw0rd!!"
# one authenticated read of each service (staff-only ones answer 403 to a licensee, but only
# after the token was accepted: an ended session is a 401 first)
READS = ("/api/identity/me", "/api/licensing/applications", "/api/sitedata/uploads",
         "/api/notifications/deliveries", "/api/reports/accounts")


def staff_body(username: str, roles: list[str]) -> dict[str, Any]:
    return {"username": username, "password": PASSWORD, "email": f"{username}@ised.example.ca",
            "name": "Staff Member", "language": "en", "roles": roles}


async def trail(http: httpx.AsyncClient, admin: dict[str, str], profile_id: str) -> list[str]:
    answer = await http.get("/api/identity/security-events", headers=admin,
                            params={"profile_id": profile_id, "limit": 100})
    assert answer.status_code == 200, answer.text
    return [e["kind"] for e in answer.json()["items"]]


async def test_a_demoted_admin_old_token_can_no_longer_create_an_admin(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    admin = await bearer(client, *ADMIN)
    created = await client.post("/api/identity/staff", headers=admin,
                                json=staff_body("second.admin", ["admin"]))
    assert created.status_code == 201, created.text
    second_id = created.json()["profile_id"]
    second = await bearer(client, "second.admin")
    demoted = await client.put(f"/api/identity/staff/{second_id}/roles", headers=admin,
                               json={"roles": ["officer"]})
    assert demoted.status_code == 200, demoted.text

    again = await client.post("/api/identity/staff", headers=second,
                              json=staff_body("third.admin", ["admin"]))
    assert again.status_code == 401, again.text
    assert again.json()["code"] == "AUTH-SESSION-ENDED"
    fresh = await bearer(client, "second.admin")
    refused = await client.post("/api/identity/staff", headers=fresh,
                                json=staff_body("third.admin", ["admin"]))
    assert refused.status_code == 403 and refused.json()["code"] == "ID-ADMIN-ONLY"
    kinds = await trail(client, admin, second_id)
    assert "staff.roles_changed" in kinds and "sessions.ended" in kinds


async def test_removing_every_staff_role_ends_the_staff_session(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    admin = await bearer(client, *ADMIN)
    created = await client.post("/api/identity/staff", headers=admin,
                                json=staff_body("leaving.officer", ["officer-radio"]))
    officer_id = created.json()["profile_id"]
    officer = await bearer(client, "leaving.officer")
    assert (await client.get("/api/identity/queue", headers=officer)).status_code == 200
    removed = await client.put(f"/api/identity/staff/{officer_id}/roles", headers=admin,
                               json={"roles": []})
    assert removed.status_code == 200 and removed.json()["roles"] == []
    assert (await client.get("/api/identity/queue", headers=officer)).status_code == 401
    now = await bearer(client, "leaving.officer")
    assert (await client.get("/api/identity/me", headers=now)).json()["roles"] == []
    assert (await client.get("/api/identity/queue", headers=now)).status_code == 403


async def test_a_signed_out_cookie_no_longer_works_anywhere(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    token = await signin(client, *LICENSEE)
    other_device = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/sitedata/uploads")).status_code == 200
    await system.settle()
    for path in READS:
        assert (await client.get(path, headers=other_device)).status_code in (200, 403), path

    out = await post_form(client, "/identity/signout", {}, page="/")
    assert out.status_code == 303
    client.cookies.set("sms_session", token)  # the stolen or kept cookie
    page = await client.get("/sitedata/uploads")
    assert page.status_code == 303 and page.headers["location"].startswith("/identity/signin")
    await system.settle()
    for path in READS:
        answer = await client.get(path, headers=other_device)
        assert answer.status_code == 401, (path, answer.text)
        assert answer.json()["code"] == "AUTH-SESSION-ENDED"
    fresh = await bearer(client, *LICENSEE)
    assert (await client.get("/api/sitedata/uploads", headers=fresh)).status_code == 200


async def test_signing_out_by_the_api_ends_every_token_of_the_profile(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    first = await bearer(client, *LICENSEE)
    second = await bearer(client, *LICENSEE)
    assert (await client.post("/api/identity/signout", headers=first)).status_code == 204
    for headers in (first, second):
        answer = await client.get("/api/identity/me", headers=headers)
        assert answer.status_code == 401 and answer.json()["code"] == "AUTH-SESSION-ENDED"
    assert (await client.post("/api/identity/signout", headers=first)).status_code == 401


async def test_a_password_change_ends_the_other_sessions_and_gives_a_new_token(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    old = await bearer(client, *LICENSEE)
    wrong = await client.post("/api/identity/me/password", headers=old, json={
        "current_password": "Not-The-Passw0rd", "password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert wrong.status_code == 401 and wrong.json()["code"] == "ID-PASSWORD-WRONG"
    changed = await client.post("/api/identity/me/password", headers=old, json={
        "current_password": LICENSEE[1], "password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    new = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert (await client.get("/api/identity/me", headers=old)).status_code == 401
    assert (await client.get("/api/identity/me", headers=new)).status_code == 200
    await system.settle()
    assert (await client.get("/api/sitedata/uploads", headers=old)).status_code == 401
    assert (await client.get("/api/sitedata/uploads", headers=new)).status_code == 200
    kinds = [e["kind"] for e in (await client.get(
        "/api/identity/me/security-events", headers=new)).json()["items"]]
    assert "password.change_refused" in kinds and "password.changed" in kinds
    assert "sessions.ended" in kinds


async def test_a_password_reset_ends_every_session(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    before = await bearer(client, *LICENSEE)
    asked = await client.post("/api/identity/password-reset",
                              json={"username_or_email": LICENSEE[0]})
    assert asked.status_code == 202
    link = await reset_link(system)
    done = await client.post(f"/api/identity/password-reset/{link}",
                             json={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 204, done.text
    assert (await client.get("/api/identity/me", headers=before)).status_code == 401


async def reset_link(system: EmbeddedSystem) -> str:
    import json

    from sqlalchemy import select

    identity = system.service("identity")
    async with identity.uows() as uow:
        rows = (await uow.session.execute(select(identity.tables.outbox.c.envelope))).all()
    links = [e["data"]["reset_url"] for e in (json.loads(r.envelope) for r in rows)
             if e["type"] == "identity.password.reset_requested"]
    return str(links[-1].rsplit("/", 1)[-1])


async def test_a_disabled_profile_loses_its_sessions_and_cannot_sign_in(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    admin = await bearer(client, *ADMIN)
    licensee = await bearer(client, *LICENSEE)
    me = (await client.get("/api/identity/me", headers=licensee)).json()
    not_admin = await client.post(f"/api/identity/profiles/{me['profile_id']}/disable",
                                  headers=licensee)
    assert not_admin.status_code == 403
    disabled = await client.post(f"/api/identity/profiles/{me['profile_id']}/disable",
                                 headers=admin)
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    assert (await client.get("/api/identity/me", headers=licensee)).status_code == 401
    await system.settle()
    assert (await client.get("/api/licensing/applications",
                             headers=licensee)).status_code == 401
    refused = await client.post("/api/identity/token",
                                data={"username": LICENSEE[0], "password": LICENSEE[1]})
    assert refused.status_code == 401 and refused.json()["code"] == "ID-PROFILE-DISABLED"
    wrong = await client.post("/api/identity/token",
                              data={"username": LICENSEE[0], "password": "Wr0ng-Password!"})
    assert wrong.json()["code"] == "ID-SIGN-IN-FAILED"  # says nothing without the password

    enabled = await client.post(f"/api/identity/profiles/{me['profile_id']}/enable",
                                headers=admin)
    assert enabled.status_code == 200
    assert (await client.get("/api/identity/me", headers=licensee)).status_code == 401
    assert (await client.get("/api/identity/me",
                             headers=await bearer(client, *LICENSEE))).status_code == 200
    kinds = await trail(client, admin, me["profile_id"])
    for kind in ("profile.disabled", "sessions.ended", "sign_in.refused", "profile.enabled"):
        assert kind in kinds
    admin_id = (await client.get("/api/identity/me", headers=admin)).json()["profile_id"]
    itself = await client.post(f"/api/identity/profiles/{admin_id}/disable", headers=admin)
    assert itself.status_code == 409
