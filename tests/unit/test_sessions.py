"""The session generations every service keeps (shared/sessions.py): generations only move on,
a redelivered or late event never moves one back, a restarted process reads them from its
table, and another process's change is seen within ``refresh_s``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData

from shared.auth import Principal
from shared.clock import FixedClock
from shared.db.engine import make_engine, make_sessionmaker
from shared.errors import UnauthorizedError
from shared.events.envelope import Envelope
from shared.events.identity import ProfileSessionsRevokedV1
from shared.ids import Uuid7Source
from shared.messaging.tables import messaging_tables
from shared.messaging.uow import UnitOfWorkFactory
from shared.sessions import SessionRevocations, revocation_handlers, revocations_table

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


METADATA = MetaData()
TABLES = messaging_tables(METADATA)
REVOCATIONS = revocations_table(METADATA)


@pytest.fixture
async def uows(tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    metadata, tables = METADATA, TABLES
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield UnitOfWorkFactory(make_sessionmaker(engine), tables, clock=FixedClock(NOW),
                            ids=Uuid7Source(), source="sms.test")
    await engine.dispose()


def guard(uows: UnitOfWorkFactory, refresh_s: float = 0.0) -> SessionRevocations:
    return SessionRevocations(uows.sessions, REVOCATIONS, uows.clock, refresh_s=refresh_s)


async def deliver(uows: UnitOfWorkFactory, revocations: SessionRevocations, generation: int
                  ) -> None:
    handler = revocation_handlers(revocations, REVOCATIONS)[ProfileSessionsRevokedV1.TYPE]
    payload = ProfileSessionsRevokedV1(profile_id="p1", generation=generation)
    async with uows() as uow:
        envelope = uow.envelope(payload, "p1")
        await handler(uow, payload, Envelope.model_validate(envelope.model_dump()))
        await uow.commit()


def of(generation: int) -> Principal:
    return Principal("p1", "pat", generation=generation)


async def test_an_older_token_is_refused_and_late_events_never_move_back(
        uows: UnitOfWorkFactory) -> None:
    revocations = guard(uows)
    await revocations.check(of(0))
    await deliver(uows, revocations, 2)
    await deliver(uows, revocations, 1)  # late, out of order
    await deliver(uows, revocations, 2)  # redelivered
    for stale in (0, 1):
        with pytest.raises(UnauthorizedError) as ended:
            await revocations.check(of(stale))
        assert ended.value.code == "AUTH-SESSION-ENDED"
    await revocations.check(of(2))
    await revocations.check(of(3))  # issued after a change not yet known here

    restarted = guard(uows)  # a new process reads the table
    with pytest.raises(UnauthorizedError):
        await restarted.check(of(1))
    assert restarted.generation("p1") == 2


async def test_a_change_written_by_another_process_is_seen_on_the_next_refresh(
        uows: UnitOfWorkFactory) -> None:
    api = guard(uows, refresh_s=3600)
    await api.check(of(0))  # first look: loaded
    consumer = guard(uows)
    await deliver(uows, consumer, 1)  # the consume process writes the row
    assert api.is_current(of(0))  # not yet looked again: the memory is as it was
    await api.refresh(force=True)
    assert not api.is_current(of(0))
