"""The bus contract, run on every implementation (see the ``bus`` fixture in conftest.py).

Every wait is bounded (``asyncio.wait_for``) so a hang fails the test instead of blocking CI.
Nothing here asserts on speed.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable

from shared.messaging.memory import partition_for_key
from shared.messaging.ports import Bus, Record

WAIT_S = 30.0
Naming = Callable[[str], str]


class Received:
    """A handler that keeps every record it completed; ``before`` may fail or block a record."""

    def __init__(self, before: Callable[[Record], Awaitable[None]] | None = None) -> None:
        self.records: list[Record] = []
        self.attempts: list[Record] = []
        self._before = before

    async def __call__(self, record: Record) -> None:
        self.attempts.append(record)
        if self._before is not None:
            await self._before(record)
        self.records.append(record)

    def values(self) -> list[str]:
        return [record.value.decode() for record in self.records]

    def positions(self) -> set[tuple[int, int]]:
        return {(record.partition, record.offset) for record in self.records}


async def eventually(condition: Callable[[], bool], timeout_s: float = WAIT_S) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout_s)


def keys_covering(partitions: int, per_partition: int = 2) -> list[str]:
    """Keys that land on every partition (``per_partition`` keys each)."""
    keys: dict[int, list[str]] = defaultdict(list)
    n = 0
    while any(len(keys[p]) < per_partition for p in range(partitions)):
        key = f"station-{n}"
        bucket = keys[partition_for_key(key, partitions)]
        if len(bucket) < per_partition:
            bucket.append(key)
        n += 1
    return [key for p in range(partitions) for key in keys[p]]


async def publish_rounds(bus: Bus, topic: str, keys: list[str], rounds: int) -> list[str]:
    """Publish ``key:seq`` for every key, ``rounds`` times, interleaving keys."""
    sent = []
    for seq in range(rounds):
        for key in keys:
            await bus.publish(topic, key, f"{key}:{seq}".encode())
            sent.append(f"{key}:{seq}")
    return sent


def assert_in_order_per_key(records: list[Record]) -> None:
    seen: dict[str, list[int]] = defaultdict(list)
    for record in records:
        seen[record.key].append(int(record.value.decode().rsplit(":", 1)[1]))
    for key, seqs in seen.items():
        assert seqs == sorted(seqs), f"records of {key} out of order: {seqs}"


async def test_publish_and_consume_with_key_and_headers(bus: Bus, fresh_name: Naming) -> None:
    topic = fresh_name("contract.licences")
    await bus.ensure_topics({topic: 3})
    received = Received()
    consumer = bus.consumer(fresh_name("contract.reader"), [topic], received)
    await asyncio.wait_for(consumer.start(), WAIT_S)

    headers = {"correlation_id": "c-1", "type": "licensing.licence.granted"}
    await bus.publish(topic, "licence-42", b"\x00granted\xff", headers)
    await eventually(lambda: len(received.records) == 1)

    record = received.records[0]
    assert (record.topic, record.key, record.value) == (topic, "licence-42", b"\x00granted\xff")
    assert dict(record.headers) == headers
    assert record.partition == partition_for_key("licence-42", 3)
    assert record.offset == 0
    await consumer.stop()


async def test_order_per_key_across_partitions(bus: Bus, fresh_name: Naming) -> None:
    topic = fresh_name("contract.uploads")
    await bus.ensure_topics({topic: 4})
    keys = keys_covering(4)
    sent = await publish_rounds(bus, topic, keys, rounds=15)  # published before anyone reads

    received = Received()
    consumer = bus.consumer(fresh_name("contract.reader"), [topic], received)
    await asyncio.wait_for(consumer.start(), WAIT_S)
    await eventually(lambda: len(received.records) >= len(sent))

    assert sorted(received.values()) == sorted(sent)
    assert_in_order_per_key(received.records)
    for record in received.records:
        assert record.partition == partition_for_key(record.key, 4)
    assert {record.partition for record in received.records} == {0, 1, 2, 3}
    await consumer.stop()


async def test_failing_handler_retries_same_record_without_skipping(
    bus: Bus, fresh_name: Naming
) -> None:
    topic = fresh_name("contract.certificates")
    await bus.ensure_topics({topic: 1})
    failures = {"c:2": 2}

    async def fail_twice(record: Record) -> None:
        left = failures.get(record.value.decode(), 0)
        if left:
            failures[record.value.decode()] = left - 1
            raise RuntimeError("temporary outage")

    received = Received(fail_twice)
    consumer = bus.consumer(fresh_name("contract.reader"), [topic], received, retry_backoff_s=0.05)
    await asyncio.wait_for(consumer.start(), WAIT_S)
    for seq in range(5):
        await bus.publish(topic, "c", f"c:{seq}".encode())
    await eventually(lambda: len(received.records) == 5)

    attempts = [record.value.decode() for record in received.attempts]
    assert attempts == ["c:0", "c:1", "c:2", "c:2", "c:2", "c:3", "c:4"]
    assert received.values() == ["c:0", "c:1", "c:2", "c:3", "c:4"]
    assert [record.offset for record in received.records] == [0, 1, 2, 3, 4]
    await consumer.stop()


async def test_abort_redelivers_uncommitted_records(bus: Bus, fresh_name: Naming) -> None:
    topic, group = fresh_name("contract.sites"), fresh_name("contract.reader")
    await bus.ensure_topics({topic: 2})
    keys = keys_covering(2, per_partition=1)
    sent = await publish_rounds(bus, topic, keys, rounds=6)
    stuck = asyncio.Event()

    async def hang_on_fifth(record: Record) -> None:
        if len(first.attempts) == 5:
            stuck.set()
            await asyncio.Event().wait()  # a crash is coming; never finishes

    first = Received(hang_on_fifth)
    consumer = bus.consumer(group, [topic], first)
    await asyncio.wait_for(consumer.start(), WAIT_S)
    await asyncio.wait_for(stuck.wait(), WAIT_S)
    await asyncio.wait_for(consumer.abort(), WAIT_S)
    in_hand = first.attempts[-1]
    assert len(first.records) == 4

    second = Received()
    successor = bus.consumer(group, [topic], second)
    await asyncio.wait_for(successor.start(), WAIT_S)
    await eventually(lambda: len(first.positions() | second.positions()) == len(sent))

    assert (in_hand.partition, in_hand.offset) in second.positions()
    assert sorted(set(first.values()) | set(second.values())) == sorted(sent)
    assert_in_order_per_key(second.records)
    await successor.stop()


async def test_stop_finishes_and_commits_the_record_in_hand(bus: Bus, fresh_name: Naming) -> None:
    topic, group = fresh_name("contract.accounts"), fresh_name("contract.reader")
    await bus.ensure_topics({topic: 1})
    for seq in range(3):
        await bus.publish(topic, "a", f"a:{seq}".encode())
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_first(record: Record) -> None:
        if record.offset == 0:
            started.set()
            await release.wait()

    first = Received(slow_first)
    consumer = bus.consumer(group, [topic], first)
    await asyncio.wait_for(consumer.start(), WAIT_S)
    await asyncio.wait_for(started.wait(), WAIT_S)
    stopping = asyncio.create_task(consumer.stop())
    await asyncio.sleep(0.1)
    release.set()
    await asyncio.wait_for(stopping, WAIT_S)
    assert "a:0" in first.values()

    second = Received()
    successor = bus.consumer(group, [topic], second)
    await asyncio.wait_for(successor.start(), WAIT_S)
    done = set(first.values())
    await eventually(lambda: done | set(second.values()) == {"a:0", "a:1", "a:2"})
    assert "a:0" not in second.values()
    await successor.stop()


async def test_members_of_one_group_split_the_partitions(bus: Bus, fresh_name: Naming) -> None:
    topic, group = fresh_name("contract.applications"), fresh_name("contract.reader")
    await bus.ensure_topics({topic: 4})
    one, two = Received(), Received()
    first = bus.consumer(group, [topic], one)
    second = bus.consumer(group, [topic], two)
    await asyncio.wait_for(first.start(), WAIT_S)
    await asyncio.wait_for(second.start(), WAIT_S)

    sent = await publish_rounds(bus, topic, keys_covering(4), rounds=5)
    await eventually(lambda: len(one.positions() | two.positions()) == len(sent))

    assert one.records and two.records
    assert sorted(set(one.values()) | set(two.values())) == sorted(sent)
    partitions_one = {record.partition for record in one.records}
    partitions_two = {record.partition for record in two.records}
    assert not partitions_one & partitions_two
    assert_in_order_per_key(one.records)
    assert_in_order_per_key(two.records)
    await first.stop()
    await second.stop()


async def test_member_joining_mid_stream_takes_over_without_loss(
    bus: Bus, fresh_name: Naming
) -> None:
    topic, group = fresh_name("contract.uploads"), fresh_name("contract.reader")
    await bus.ensure_topics({topic: 4})
    sent = await publish_rounds(bus, topic, keys_covering(4), rounds=12)
    completed: list[Record] = []  # completions of both members, in the order they happened

    async def slowly(record: Record) -> None:
        await asyncio.sleep(0.05)
        completed.append(record)

    one, two = Received(slowly), Received(slowly)
    first = bus.consumer(group, [topic], one)
    await asyncio.wait_for(first.start(), WAIT_S)
    await eventually(lambda: len(one.records) >= 4)
    second = bus.consumer(group, [topic], two)
    await asyncio.wait_for(second.start(), WAIT_S)
    await eventually(lambda: len(one.positions() | two.positions()) == len(sent))

    assert two.records, "the second member never received a partition"
    assert sorted({r.value.decode() for r in completed}) == sorted(sent)
    assert_in_order_per_key(completed)  # the hand-over kept each key's order
    await first.stop()
    await second.stop()


async def test_every_group_gets_every_record(bus: Bus, fresh_name: Naming) -> None:
    topic = fresh_name("contract.profiles")
    await bus.ensure_topics({topic: 3})
    mail, reports = Received(), Received()
    consumers = [
        bus.consumer(fresh_name("contract.mail"), [topic], mail),
        bus.consumer(fresh_name("contract.reports"), [topic], reports),
    ]
    await asyncio.wait_for(asyncio.gather(*(c.start() for c in consumers)), WAIT_S)

    sent = await publish_rounds(bus, topic, keys_covering(3, per_partition=1), rounds=4)
    await eventually(lambda: len(mail.records) >= len(sent) and len(reports.records) >= len(sent))

    assert sorted(mail.values()) == sorted(reports.values()) == sorted(sent)
    for consumer in consumers:
        await consumer.stop()


async def test_ensure_topics_is_idempotent(bus: Bus, fresh_name: Naming) -> None:
    topic, other = fresh_name("contract.stations"), fresh_name("contract.other")
    await bus.ensure_topics({topic: 3})
    keys = keys_covering(3, per_partition=1)
    for key in keys:
        await bus.publish(topic, key, f"{key}:0".encode())
    await bus.ensure_topics({topic: 3})
    await bus.ensure_topics({topic: 3, other: 2})  # a mix of existing and new topics
    for key in keys:
        await bus.publish(topic, key, f"{key}:1".encode())
    await bus.publish(other, "x", b"x:0")

    received = Received()
    consumer = bus.consumer(fresh_name("contract.reader"), [topic, other], received)
    await asyncio.wait_for(consumer.start(), WAIT_S)
    await eventually(lambda: len(received.records) == 2 * len(keys) + 1)

    mine = [record for record in received.records if record.topic == topic]
    assert {(r.partition, r.offset) for r in mine} == {(p, o) for p in range(3) for o in (0, 1)}
    assert all(r.partition == partition_for_key(r.key, 3) for r in mine)
    assert_in_order_per_key(received.records)
    await consumer.stop()
