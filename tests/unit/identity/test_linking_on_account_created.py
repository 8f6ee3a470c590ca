"""Licensing's account.created links the approved profile once, however often it arrives."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.identity.adapters import tables as t
from services.identity.handlers import review
from services.identity.handlers.readmodel import REGISTRATIONS, on_account_created
from services.identity.handlers.registration import Submission, submit
from services.identity.handlers.secrets import AttemptLimit
from shared.auth import Principal
from shared.clock import FixedClock
from shared.db.engine import make_engine, make_sessionmaker
from shared.events.envelope import Envelope
from shared.events.licensing import AccountCreatedV1
from shared.hashing import hash_secret
from shared.ids import Uuid7Source
from shared.messaging.uow import UnitOfWorkFactory

OFFICER = Principal("officer-1", "officer", frozenset({"officer-radio"}))
HOLDER = {"legal_name": "Radio Inc.", "small_business": False, "status_email": "s@example.ca",
          "mailing_address": {"street": "1 Main", "city": "Ottawa", "province": "ON",
                              "postal_code": "K1A 0A1"},
          "contact": {"name": "Pat", "business_phone": "1", "business_email": "b@example.ca"},
          "delivery": "Mail", "invoices_elsewhere": False}
USER = {"username": "pat", "password": "Str0ng-Passw0rd!", "confirm_password": "Str0ng-Passw0rd!",
        "name": "Pat", "phone": "613-555-0100", "email": "pat@example.ca"}


@pytest.fixture
async def uows(tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'identity.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(t.metadata.create_all)
    yield UnitOfWorkFactory(make_sessionmaker(engine), t.tables, clock=FixedClock(),
                            ids=Uuid7Source(), source="sms.identity")
    await engine.dispose()


async def deliver(uows: UnitOfWorkFactory, payload: AccountCreatedV1) -> None:
    envelope = Envelope(id=uows.ids.new(), type=payload.TYPE, version=1, source="sms.licensing",
                        subject=payload.account_number, time=uows.clock.now(),
                        correlation_id="c", data=payload.model_dump(mode="json"))
    async with uows() as uow:
        await on_account_created(uow, payload, envelope)
        await REGISTRATIONS[payload.TYPE](uow, payload, envelope)
        await uow.commit()


async def count(uows: UnitOfWorkFactory, event_type: str) -> int:
    async with uows() as uow:
        rows = (await uow.session.execute(select(t.tables.outbox.c.envelope))).all()
    return sum(1 for r in rows if json.loads(r.envelope)["type"] == event_type)


async def test_a_redelivered_account_created_links_once(uows: UnitOfWorkFactory) -> None:
    done = await submit(uows, Submission("new_holder", dict(USER), holder=dict(HOLDER)),
                        AttemptLimit(5, timedelta(hours=1)))
    assert await review.decide(uows, done.registration_id, OFFICER, "approve") == \
        "awaiting_account"
    created = AccountCreatedV1(account_number="100000900", legal_name="Radio Inc.",
                               email="s@example.ca", secret_hash=hash_secret("S-1"),
                               registration_id=done.registration_id,
                               profile_id=done.profile_id)
    await deliver(uows, created)
    await deliver(uows, created)
    async with uows() as uow:
        links = (await uow.session.execute(select(func.count()).select_from(
            t.profile_accounts))).scalar_one()
        status = (await uow.session.execute(select(t.registrations.c.status))).scalar_one()
        name = (await uow.session.execute(select(t.rm_accounts.c.legal_name))).scalar_one()
    assert (links, status, name) == (1, "approved", "Radio Inc.")
    assert await count(uows, "identity.account.linked") == 1
