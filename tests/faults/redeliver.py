"""Duplicate delivery on the real broker: every record of every topic is produced again (same
key, value and headers), as a relay that crashed between publish and mark, or a consumer that
crashed between effects and offset commit, would cause."""

from __future__ import annotations

import asyncio
import time
import uuid

import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from services.gateway.stack import Stack
from shared.events.registry import topics

Record = tuple[str, bytes | None, bytes | None, list, int, int]
DATABASES = ("licensing", "identity", "sitedata", "notifications", "reports")


def scalar(stack: Stack, database: str, sql: str) -> int:
    with psycopg.connect(stack.pg.dsn(database)) as connection:
        row = connection.execute(sql).fetchone()  # type: ignore[arg-type]
        return int(row[0]) if row and row[0] is not None else 0


async def read_all(bootstrap: str) -> list[Record]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                enable_auto_commit=False, auto_offset_reset="earliest",
                                client_id=f"redeliver-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for topic, count in topics().items()
                      for p in range(count)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records = []
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < 3.0:
            batch = await consumer.getmany(timeout_ms=500)
            for items in batch.values():
                records += [(r.topic, r.key, r.value, list(r.headers), r.partition, r.offset)
                            for r in items]
            if batch:
                quiet_since = time.monotonic()
        return records
    finally:
        await consumer.stop()


async def settle(stack: Stack, timeout: float = 120) -> list[Record]:
    """Until every outbox is published and every group has read every record; returns them."""
    deadline = time.monotonic() + timeout
    while sum(scalar(stack, name, "select count(*) from outbox where sent_at is null")
              for name in DATABASES):
        if time.monotonic() > deadline:
            raise AssertionError("the relays did not empty the outboxes")
        await asyncio.sleep(0.5)
    records = await read_all(stack.kafka.bootstrap)
    last: dict[TopicPartition, int] = {}
    for record in records:
        tp = TopicPartition(record[0], record[4])
        last[tp] = max(last.get(tp, -1), record[5])
    await wait_consumed(stack.kafka.bootstrap, last, timeout=max(5.0, deadline - time.monotonic()))
    return records


async def redeliver_everything(stack: Stack) -> int:
    """Copy every record once more; return how many, after the consumer groups have read
    past every copy."""
    records = await settle(stack)
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka.bootstrap, acks="all")
    await producer.start()
    last: dict[TopicPartition, int] = {}
    try:
        for topic, key, value, headers, _, _ in records:
            sent = await producer.send_and_wait(topic, value=value, key=key, headers=headers)
            last[TopicPartition(topic, sent.partition)] = sent.offset
    finally:
        await producer.stop()
    await wait_consumed(stack.kafka.bootstrap, last, timeout=90)
    return len(records)


async def wait_consumed(bootstrap: str, last: dict[TopicPartition, int], timeout: float) -> None:
    """Until every group that consumes a topic has committed past the last copy in it."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        groups = [g[0] for g in await admin.list_consumer_groups()
                  if not str(g[0]).startswith("redeliver")]
        deadline = time.monotonic() + timeout
        while True:
            behind = await _behind(admin, groups, last)
            if not behind:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"consumers did not read the copies: {behind[:5]}")
            await asyncio.sleep(0.5)
    finally:
        await admin.close()


async def _behind(admin: AIOKafkaAdminClient, groups: list[str],
                  last: dict[TopicPartition, int]) -> list[str]:
    every = [TopicPartition(t, p) for t, n in topics().items() for p in range(n)]
    behind = []
    for group in groups:
        committed = await admin.list_consumer_group_offsets(group, partitions=every)
        mine = {tp.topic for tp, meta in committed.items() if meta.offset >= 0}
        for tp, offset in last.items():
            meta = committed.get(tp)
            if tp.topic in mine and (meta is None or meta.offset <= offset):
                behind.append(f"{group} {tp.topic}[{tp.partition}]")
    return behind
