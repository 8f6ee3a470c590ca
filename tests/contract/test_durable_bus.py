"""What the embedded bus adds to the contract: its log and offsets outlive the process.

A process killed at any moment leaves the file as the last publish or commit wrote it; a new
bus on the same file delivers every record a group had not committed, and none it had."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from shared.messaging.durable import DurableBus
from shared.messaging.ports import Record
from tests.contract.test_bus import Received, eventually


async def test_a_restart_delivers_what_was_not_committed_and_nothing_twice(
        tmp_path: Path) -> None:
    path = tmp_path / "bus.db"
    first = DurableBus(path)
    await first.start()
    await first.ensure_topics({"t": 3})
    gate = asyncio.Event()

    async def slow_after_four(record: Record) -> None:
        if len(seen.records) >= 4:
            await gate.wait()  # the process dies while this record is in hand

    seen = Received(slow_after_four)
    consumer = first.consumer("g", ["t"], seen)
    await consumer.start()
    for n in range(10):
        await first.publish("t", key=f"k{n}", value=str(n).encode())
    await eventually(lambda: len(seen.records) >= 4)
    await consumer.abort()  # kill -9: nothing more is committed
    await first.stop()

    second = DurableBus(path)
    await second.start()
    await second.ensure_topics({"t": 3})
    again = Received()
    await second.consumer("g", ["t"], again).start()
    await eventually(lambda: len(again.records) + len(seen.records) >= 10)
    await asyncio.sleep(0.2)
    assert sorted(seen.values() + again.values()) == [str(n) for n in range(10)]
    await second.stop()


async def test_records_every_group_committed_are_dropped_at_start(tmp_path: Path) -> None:
    path = tmp_path / "bus.db"
    bus = DurableBus(path)
    await bus.start()
    await bus.ensure_topics({"t": 1})
    done = Received()
    await bus.consumer("g", ["t"], done).start()
    for n in range(5):
        await bus.publish("t", key="k", value=str(n).encode())
    await eventually(lambda: len(done.records) == 5)
    await bus.stop()

    again = DurableBus(path)
    await again.start()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM records").fetchone()[0] == 0
    await again.ensure_topics({"t": 1})
    await again.publish("t", key="k", value=b"5")
    later = Received()
    await again.consumer("g", ["t"], later).start()
    await eventually(lambda: len(later.records) == 1)
    assert later.values() == ["5"] and later.records[0].offset == 5  # offsets keep counting
    await again.stop()
