"""The outbox publishes what a committed transaction raised, in order; the inbox drops
duplicates; a rolled-back transaction raises nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, String, Table, insert, select

from shared.clock import FixedClock
from shared.db.base import new_metadata
from shared.db.engine import make_engine, make_sessionmaker
from shared.events.envelope import Envelope, Payload
from shared.events.identity import AccountLinkedV1
from shared.ids import Uuid7Source
from shared.messaging.consumer import EventDispatcher
from shared.messaging.memory import MemoryBus
from shared.messaging.outbox import OutboxRelay
from shared.messaging.ports import Record
from shared.messaging.tables import messaging_tables
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory

metadata = new_metadata()
tables = messaging_tables(metadata)
effects = Table("effects", metadata, Column("note", String(50), primary_key=True))
TOPIC = AccountLinkedV1.TOPIC


@pytest.fixture
async def uows(tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield UnitOfWorkFactory(make_sessionmaker(engine), tables, clock=FixedClock(),
                            ids=Uuid7Source(), source="sms.test")
    await engine.dispose()


def linked(n: int) -> AccountLinkedV1:
    return AccountLinkedV1(profile_id="p", account_number=str(n), relation="owner",
                           rights=["upload"])


async def collect(bus: MemoryBus, count: int) -> list[Record]:
    got: list[Record] = []
    done = asyncio.Event()

    async def handler(record: Record) -> None:
        got.append(record)
        if len(got) >= count:
            done.set()

    consumer = bus.consumer("test.collect", [TOPIC], handler)
    await consumer.start()
    await asyncio.wait_for(done.wait(), timeout=5)
    await consumer.stop()
    return got


async def test_relay_publishes_committed_events_in_order(uows: UnitOfWorkFactory) -> None:
    bus = MemoryBus()
    await bus.start()
    await bus.ensure_topics({TOPIC: 3})
    async with uows() as uow:
        for n in range(5):
            await uow.emit(linked(n), subject="same-key")
        await uow.commit()
    relay = OutboxRelay(uows.sessions, tables, bus, FixedClock())
    assert await relay.run_once() == 5
    assert await relay.run_once() == 0
    assert await relay.pending() == 0
    records = await collect(bus, 5)
    accounts = [Envelope.from_bytes(r.value).data["account_number"] for r in records]
    assert accounts == ["0", "1", "2", "3", "4"]
    await bus.stop()


async def test_rolled_back_work_raises_no_event(uows: UnitOfWorkFactory) -> None:
    async with uows() as uow:
        await uow.emit(linked(1), subject="k")
        # leaving without commit rolls back
    relay = OutboxRelay(uows.sessions, tables, MemoryBus(), FixedClock())
    assert await relay.pending() == 0


async def test_inbox_skips_a_redelivered_event(uows: UnitOfWorkFactory) -> None:
    calls: list[str] = []

    async def handler(uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        calls.append(str(envelope.id))
        await uow.session.execute(insert(effects).values(note=str(envelope.id)[:50]))

    dispatcher = EventDispatcher("test.group", {AccountLinkedV1.TYPE: handler}, uows)
    async with uows() as uow:
        envelope = uow.envelope(linked(7), subject="k")
    record = Record(TOPIC, "k", envelope.to_bytes(), {}, 0, 0)
    for _ in range(3):
        await dispatcher(record)
    assert len(calls) == 1
    async with uows() as uow:
        rows = (await uow.session.execute(select(effects))).all()
    assert len(rows) == 1


async def test_a_failing_handler_leaves_no_trace_so_the_retry_runs_again(
        uows: UnitOfWorkFactory) -> None:
    attempts: list[int] = []

    async def flaky(uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        attempts.append(1)
        await uow.session.execute(insert(effects).values(note=f"try{len(attempts)}"))
        if len(attempts) == 1:
            raise RuntimeError("database hiccup")

    dispatcher = EventDispatcher("test.flaky", {AccountLinkedV1.TYPE: flaky}, uows)
    async with uows() as uow:
        envelope = uow.envelope(linked(8), subject="k")
    record = Record(TOPIC, "k", envelope.to_bytes(), {}, 0, 0)
    with pytest.raises(RuntimeError):
        await dispatcher(record)
    await dispatcher(record)
    async with uows() as uow:
        notes = [r.note for r in (await uow.session.execute(select(effects))).all()]
    assert notes == ["try2"]


async def test_poison_messages_are_skipped_not_retried_forever(uows: UnitOfWorkFactory) -> None:
    dispatcher = EventDispatcher("test.poison", {}, uows)
    await dispatcher(Record(TOPIC, "k", b"not json", {}, 0, 0))


async def test_a_read_connection_sees_what_is_committed_and_nothing_else(
        uows: UnitOfWorkFactory) -> None:
    async with uows() as uow:
        await uow.session.execute(insert(effects).values(note="committed"))
        await uow.commit()
    async with uows() as uow:
        await uow.session.execute(insert(effects).values(note="rolled back"))
    async with uows.reading() as db:
        notes = (await db.execute(select(effects.c.note))).scalars().all()
    assert notes == ["committed"]
