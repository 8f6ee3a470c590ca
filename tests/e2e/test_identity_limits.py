"""Sign-in flood, reset mail flood and shared-secret guessing (issue 15, points 3 and 7):
limits per client address and per target, answered 429 with Retry-After; wrong shared secrets
from one address never block the account's owner registering from another."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from services.gateway.app import create_app
from services.gateway.embedded import EmbeddedSystem
from services.identity.limits import IdentityLimits
from tests.support.identity import register, user

SECRET_2 = "DEMO-2026-SMS2"
Clients = Callable[[str], httpx.AsyncClient]


@pytest.fixture
async def from_address(system: EmbeddedSystem) -> AsyncIterator[Clients]:
    """Clients of the same application, each from its own address."""
    app = create_app(system.services, ready=lambda: system.ready)
    async with AsyncExitStack() as stack:
        made: dict[str, httpx.AsyncClient] = {}

        def client(address: str) -> httpx.AsyncClient:
            if address not in made:
                transport = httpx.ASGITransport(app=app, client=(address, 40000))
                made[address] = httpx.AsyncClient(transport=transport,
                                                  base_url="http://testserver")
                stack.push_async_callback(made[address].aclose)
            return made[address]

        yield client


def tighten(system: EmbeddedSystem, **limits: int) -> None:
    identity: Any = system.service("identity")
    # the routers hold the context's limiters: tighten those very objects
    tightened = IdentityLimits(identity.settings.model_copy(update=limits))
    vars(identity.context.limits).update(vars(tightened))


async def sign_in(http: httpx.AsyncClient, username: str) -> httpx.Response:
    return await http.post("/api/identity/token",
                           data={"username": username, "password": "Wr0ng-Passw0rd!"})


async def test_sign_ins_are_limited_per_client_then_per_user_name(
        system: EmbeddedSystem, from_address: Clients) -> None:
    tighten(system, sign_ins_per_client_minute=4, sign_ins_per_user_minute=6)
    flooder = from_address("10.0.0.1")
    for n in range(4):
        assert (await sign_in(flooder, f"nobody{n}")).status_code == 401
    limited = await sign_in(flooder, "nobody9")
    assert limited.status_code == 429, limited.text
    assert limited.json()["code"] == "ID-SIGN-IN-RATE"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.headers["content-type"] == "application/problem+json"
    assert (await sign_in(from_address("10.0.0.2"), "nobody0")).status_code == 401

    for n in range(6):  # one user name from many addresses: 6 per minute in all
        assert (await sign_in(from_address(f"10.0.1.{n}"), "target.user")).status_code == 401
    answer = await sign_in(from_address("10.0.1.99"), "target.user")
    assert answer.status_code == 429 and answer.json()["code"] == "ID-SIGN-IN-RATE"


async def test_one_profile_is_never_sent_a_flood_of_reset_links(
        system: EmbeddedSystem, from_address: Clients) -> None:
    answers = []
    for n in range(32):  # 32 requests from 32 addresses, by user name and by e-mail
        who = "demo.licensee" if n % 2 else "licensee@example.ca"
        answers.append((await from_address(f"10.0.2.{n}").post(
            "/api/identity/password-reset", json={"username_or_email": who})).status_code)
    assert set(answers) <= {202, 429}
    assert answers.count(429) >= 26
    identity = system.service("identity")
    async with identity.uows() as uow:
        rows = (await uow.session.execute(select(identity.tables.outbox.c.envelope))).all()
    mails = [e for e in (json.loads(r.envelope) for r in rows)
             if e["type"] == "identity.password.reset_requested"]
    assert 1 <= len(mails) <= 3

    tighten(system, resets_per_target_hour=1000)  # past the door: the database still caps
    for n in range(10):
        await from_address(f"10.0.3.{n}").post("/api/identity/password-reset",
                                               json={"username_or_email": "demo.licensee"})
    async with identity.uows() as uow:
        rows = (await uow.session.execute(select(identity.tables.outbox.c.envelope))).all()
    assert sum(1 for r in rows if json.loads(r.envelope)["type"]
               == "identity.password.reset_requested") == 3


async def test_reset_requests_are_limited_per_client(
        system: EmbeddedSystem, from_address: Clients) -> None:
    http = from_address("10.0.4.1")
    codes = [(await http.post("/api/identity/password-reset",
                              json={"username_or_email": f"person{n}@example.ca"})).status_code
             for n in range(6)]
    assert codes == [202] * 5 + [429]


async def test_wrong_shared_secrets_from_one_address_never_block_the_owner(
        system: EmbeddedSystem, from_address: Clients) -> None:
    guesser = from_address("10.0.5.1")
    body: dict[str, Any] = {"kind": "existing_holder", "user": user("guesser"),
                            "account_number": "100000002", "shared_secret": "WRONG-0000"}
    for _ in range(5):
        assert (await register(guesser, body, expect=401))["code"] == "ID-SECRET-WRONG"
    stopped = await guesser.post("/api/identity/registrations", json=body)
    assert stopped.status_code == 429 and stopped.json()["code"] == "ID-SECRET-ATTEMPTS"
    assert int(stopped.headers["retry-after"]) == 3600

    owner: dict[str, Any] = {"kind": "existing_holder", "user": user("rightful.owner"),
                             "account_number": "100000002", "shared_secret": SECRET_2}
    created = await register(from_address("10.0.5.2"), owner)
    assert created["status"] == "approved"


async def test_guesses_spread_over_many_addresses_stop_at_the_account_limit(
        system: EmbeddedSystem, from_address: Clients) -> None:
    tighten(system, max_account_secret_failures=6)
    body: dict[str, Any] = {"kind": "existing_holder", "user": user("spread"),
                            "account_number": "100000002", "shared_secret": "WRONG-0000"}
    for n in range(6):
        await register(from_address(f"10.0.6.{n}"), body, expect=401)
    body["shared_secret"] = SECRET_2
    stopped = await from_address("10.0.6.99").post("/api/identity/registrations", json=body)
    assert stopped.status_code == 429 and "for this account" in stopped.json()["detail"]
