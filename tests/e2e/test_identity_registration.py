"""Every registration type of seed 000 over HTTP, and the officer's three decisions."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from services.gateway.embedded import EmbeddedSystem
from services.identity.adapters.tables import registrations
from shared.events.licensing import AccountCreatedV1
from shared.hashing import hash_secret
from tests.support.identity import LETTER, accounts_of, attachment, bearer, holder, register, user
from tests.support.journey import token

SECRET_2 = "DEMO-2026-SMS2"
OFFICER = ("demo.officer", "Demo-Officer-2026!")


async def officer(http: httpx.AsyncClient) -> dict[str, str]:
    return await token(http, *OFFICER)


async def decide(http: httpx.AsyncClient, registration_id: str, decision: str,
                 body: dict[str, str] | None = None, headers: dict[str, str] | None = None
                 ) -> httpx.Response:
    return await http.post(f"/api/identity/registrations/{registration_id}/{decision}",
                           json=body or {}, headers=headers or await officer(http))


async def approved_events(system: EmbeddedSystem, registration_id: str) -> list[dict[str, Any]]:
    identity = system.service("identity")
    async with identity.uows() as uow:
        rows = (await uow.session.execute(select(identity.tables.outbox.c.envelope))).all()
    envelopes = [json.loads(r.envelope) for r in rows]
    return [e["data"] for e in envelopes if e["type"] == "identity.registration.approved"
            and e["data"]["registration_id"] == registration_id]


async def account_arrives(system: EmbeddedSystem, registration_id: str, profile_id: str,
                          number: str) -> None:
    """When licensing has not made the account by itself, make it on licensing's topic."""
    await system.settle()
    identity = system.service("identity")
    async with identity.uows() as uow:
        status = (await uow.session.execute(select(registrations.c.status).where(
            registrations.c.id == registration_id))).scalar_one()
    if status != "awaiting_account":
        return
    licensing = system.service("licensing")
    async with licensing.uows() as uow:
        await uow.emit(AccountCreatedV1(
            account_number=number, legal_name="Nouvelle Radio Inc.", email="s@example.ca",
            secret_hash=hash_secret("NEW-SECRET-1"), registration_id=registration_id,
            profile_id=profile_id), subject=number)
        await uow.commit()
    await system.settle()


BY_SECRET = [("existing_holder", "owner"), ("existing_applicant", "owner"),
             ("existing_agent", "agent"), ("certification_body", "owner")]


async def test_account_number_and_shared_secret_give_access_at_once(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    for kind, relation in BY_SECRET:
        body: dict[str, Any] = {"kind": kind, "user": user(), "account_number": "100000002",
                                "shared_secret": SECRET_2}
        created = await register(client, body)
        assert created["status"] == "approved", kind
        headers = await bearer(client, body["user"]["username"])
        linked = await accounts_of(client, headers)
        assert linked["100000002"]["relation"] == relation, kind
        assert set(linked["100000002"]["rights"]) == {"view", "prepare", "submit", "upload"}
        assert await approved_events(system, created["registration_id"])


async def test_a_wrong_shared_secret_creates_nothing_and_attempts_are_limited(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {"kind": "existing_holder", "user": user("hopeful"),
                            "account_number": "100000002", "shared_secret": "WRONG-0000"}
    for _ in range(5):
        refused = await register(client, body, expect=401)
        assert refused["code"] == "ID-SECRET-WRONG"
    body["shared_secret"] = SECRET_2
    assert (await register(client, body, expect=429))["code"] == "ID-SECRET-ATTEMPTS"
    unknown = await client.post("/api/identity/token",
                                data={"username": "hopeful", "password": "Str0ng-Passw0rd!"})
    assert unknown.status_code == 401


async def test_the_password_rule_and_unique_user_names(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    weak = user()
    weak["password"] = weak["confirm_password"] = "password"
    body: dict[str, Any] = {"kind": "existing_holder", "user": weak, "account_number": "100000002",
            "shared_secret": SECRET_2}
    refused = await register(client, body, expect=422)
    assert refused["code"] == "ID-PASSWORD-WEAK"
    for reason in ("10 characters", "upper case", "digit", "special character"):
        assert reason in refused["detail"]
    body["user"] = user("demo.licensee")
    assert (await register(client, body, expect=409))["code"] == "ID-USERNAME-TAKEN"
    mismatch = user()
    mismatch["confirm_password"] = "Other-Passw0rd!"
    body["user"] = mismatch
    assert (await register(client, body, expect=422))["errors"][0]["field"] == "confirm_password"


async def test_registration_types_list_their_steps_and_required_fields(
        client: httpx.AsyncClient) -> None:
    types = {t["kind"]: t for t in (await client.get("/api/identity/registration-types")).json()}
    assert len(types) == 10
    assert types["new_holder"]["steps"] == ["type", "user", "holder", "attachments", "review"]
    assert types["agent_existing_holder"]["attachments"] == "required"
    assert types["new_applicant"]["steps"] == ["type", "user", "holder", "letter_contact",
                                               "attachments", "review"]
    assert not types["existing_holder"]["needs_approval"]
    incomplete = holder(small_business=None, invoices_elsewhere=True, delivery="Fax")
    incomplete["contact"]["business_email"] = ""
    refused = await register(client, {"kind": "new_holder", "user": user(),
                                      "holder": incomplete}, expect=422)
    for field in ("holder.small_business", "holder.payment_contact.name", "holder.delivery",
                  "holder.contact.business_email"):
        assert field in refused["detail"]
    refused = await register(client, {"kind": "new_applicant", "user": user(),
                                      "holder": holder()}, expect=422)
    assert "letter_contact.name" in refused["detail"]


async def test_agent_finds_the_licensee_attaches_the_form_and_is_approved(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    found = (await client.get("/api/identity/licensees",
                              params={"name": "prairie", "city": "regina"})).json()
    assert [i["account_number"] for i in found["items"]] == ["100000002"]
    assert (await client.get("/api/identity/licensees",
                             params={"name": "prairie", "city": "Ottawa"})).json()["total"] == 0
    body: dict[str, Any] = {"kind": "agent_existing_holder", "user": user(),
                            "account_number": "100000002"}
    missing = await register(client, body, expect=422)
    assert missing["errors"][0]["field"] == "attachments"
    body["attachments"] = [await attachment(client)]
    created = await register(client, body)
    assert created["status"] == "pending"
    headers = await bearer(client, body["user"]["username"])
    assert await accounts_of(client, headers) == {}

    queue = (await client.get("/api/identity/queue", headers=await officer(client))).json()
    item = next(i for i in queue["items"] if i["id"] == created["registration_id"])
    assert item["office"] == "district"
    assert item["attachments"][0]["description"] == "Signed ISED-ISDE3052"
    assert "password" not in json.dumps(item["details"])
    download = await client.get(f"/api/identity/registrations/{item['id']}/attachments/"
                                f"{item['attachments'][0]['id']}", headers=await officer(client))
    assert download.content == b"%PDF-1.4 signed form"

    decided = await decide(client, created["registration_id"], "approve")
    assert decided.json()["status"] == "approved"
    assert (await accounts_of(client, headers))["100000002"]["relation"] == "agent"
    again = await decide(client, created["registration_id"], "approve")
    assert again.status_code == 409


async def test_new_agent_of_an_existing_applicant_is_reviewed_by_the_bureau(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {"kind": "new_agent_existing_applicant", "user": user(),
            "account_number": "100000002"}
    created = await register(client, body)
    view = (await client.get(f"/api/identity/registrations/{created['registration_id']}",
                             headers=await bearer(client, body["user"]["username"]))).json()
    assert view["office"] == "ceb" and view["status"] == "pending"
    assert (await decide(client, created["registration_id"], "approve")).status_code == 200


NEW_TYPES = [
    ("new_holder", "owner", {"holder": holder()}),
    ("agent_new_holder", "agent", {"holder": holder()}),
    ("new_applicant", "owner", {"holder": holder(), "letter_contact": LETTER}),
    ("new_agent_new_applicant", "agent", {"holder": holder()}),
]


async def test_a_new_holder_is_linked_once_licensing_makes_the_account(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    for number, (kind, relation, extra) in enumerate(NEW_TYPES):
        await _new_account_journey(system, client, kind, relation, extra, f"10000077{number}")


async def _new_account_journey(system: EmbeddedSystem, client: httpx.AsyncClient, kind: str,
                               relation: str, extra: dict[str, Any], number: str) -> None:
    body: dict[str, Any] = {"kind": kind, "user": user(), **extra}
    if kind == "agent_new_holder":
        body["attachments"] = [await attachment(client)]
    created = await register(client, body)
    assert created["status"] == "pending"
    decided = await decide(client, created["registration_id"], "approve")
    assert decided.json()["status"] == "awaiting_account"
    event = (await approved_events(system, created["registration_id"]))[0]
    assert event["new_account"]["legal_name"] == "Nouvelle Radio Inc."
    assert event["new_account"]["client_kind"] == ("equipment_applicant" if "applicant" in kind
                                                    else "licensee")
    await account_arrives(system, created["registration_id"], created["profile_id"], number)
    headers = await bearer(client, body["user"]["username"])
    linked = await accounts_of(client, headers)
    assert len(linked) == 1, kind
    assert next(iter(linked.values()))["relation"] == relation
    view = (await client.get(f"/api/identity/registrations/{created['registration_id']}",
                             headers=headers)).json()
    assert view["status"] == "approved"


async def test_applicant_answers_and_resubmits(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {"kind": "agent_existing_holder", "user": user(),
                            "account_number": "100000002",
                            "attachments": [await attachment(client)]}
    created = await register(client, body)
    reg_id = created["registration_id"]
    await decide(client, reg_id, "request-info", {"question": "The form is unsigned."})
    applicant = await bearer(client, body["user"]["username"])
    mine = (await client.get("/api/identity/registrations", headers=applicant)).json()
    assert mine["items"][0]["question"] == "The form is unsigned."
    asked_again = await decide(client, reg_id, "request-info", {"question": "Again?"})
    assert asked_again.json()["code"] == "ID-REG-AWAITING-ANSWER"
    stranger = await bearer(client, (await _approved_stranger(client))["username"])
    answer = {"answer": "Signed copy attached.",
              "attachments": [await attachment(client, "Signed copy")]}
    refused = await client.post(f"/api/identity/registrations/{reg_id}/resubmit", json=answer,
                                headers=stranger)
    assert refused.status_code == 404
    done = await client.post(f"/api/identity/registrations/{reg_id}/resubmit", json=answer,
                             headers=applicant)
    assert done.status_code == 204, done.text
    view = (await client.get(f"/api/identity/registrations/{reg_id}", headers=applicant)).json()
    assert view["status"] == "pending" and view["answer"] == "Signed copy attached."
    assert len(view["attachments"]) == 2
    assert (await decide(client, reg_id, "approve")).json()["status"] == "approved"


async def _approved_stranger(client: httpx.AsyncClient) -> dict[str, Any]:
    stranger = user()
    await register(client, {"kind": "existing_holder", "user": stranger,
                            "account_number": "100000002", "shared_secret": SECRET_2})
    return stranger


async def test_rejection_leaves_the_profile_without_access(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {"kind": "new_holder", "user": user(), "holder": holder()}
    created = await register(client, body)
    no_reason = await decide(client, created["registration_id"], "reject")
    assert no_reason.status_code == 422
    rejected = await decide(client, created["registration_id"], "reject",
                            {"reason": "The company is not registered."})
    assert rejected.json()["status"] == "rejected"
    headers = await bearer(client, body["user"]["username"])
    assert await accounts_of(client, headers) == {}
    queue = (await client.get("/api/identity/queue", headers=await officer(client))).json()
    assert created["registration_id"] not in {i["id"] for i in queue["items"]}
    licensee = await token(client)
    assert (await client.get("/api/identity/queue", headers=licensee)).status_code == 403
    assert (await client.get("/api/identity/queue")).status_code == 401


async def test_an_existing_agent_registers_with_no_email_and_nothing_is_mailed_to_nobody(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    agent = {k: v for k, v in user().items() if k not in ("email", "name", "phone")}
    created = await register(client, {"kind": "existing_agent", "user": agent,
                                       "account_number": "100000002",
                                       "shared_secret": SECRET_2})
    assert created["status"] == "approved"
    linked = await accounts_of(client, await bearer(client, agent["username"]))
    assert linked["100000002"]["relation"] == "agent"
    await client.post("/api/identity/password-reset",
                      json={"username_or_email": agent["username"]})
    await system.settle()
    staff = await officer(client)
    deliveries = (await client.get("/api/notifications/deliveries", headers=staff,
                                   params={"limit": 200})).json()["items"]
    assert [d for d in deliveries if not d["recipient"].strip()] == []
    assert await approved_events(system, created["registration_id"])
