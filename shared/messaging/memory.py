"""In-memory bus: topics, partitions, consumer groups, committed offsets and redelivery.

Everything lives in one asyncio loop. Publishing appends to a partition log and wakes the
group members that own that partition; it never calls a handler inline. Each member runs one
worker task that takes its partitions' records one at a time, in offset order, and commits an
offset only after the handler returned, so a crash (``abort``) or a rebalance leads to the same
redelivery as on Kafka.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Mapping, Sequence

import structlog
from aiokafka.partitioner import murmur2

from shared.messaging.ports import Handler, Record, UnknownTopicError, deliver

_log = structlog.get_logger()

TopicPartition = tuple[str, int]


def partition_for_key(key: str, partitions: int) -> int:
    """Kafka's default partitioner (murmur2 of the UTF-8 key), as the Java and aiokafka clients."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


class MemoryBus:
    """The bus port in one process. Options of the Kafka bus are not accepted here."""

    def __init__(self) -> None:
        self._logs: dict[str, list[list[Record]]] = {}
        # the offset of each partition's first record held (above 0 once a durable log was
        # compacted: see durable.py)
        self._bases: dict[str, list[int]] = {}
        self._groups: dict[str, _Group] = {}
        self._running: set[MemoryConsumer] = set()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        for consumer in list(self._running):
            await consumer.stop()

    async def ensure_topics(self, topics: Mapping[str, int]) -> None:
        created = set()
        for name, partitions in topics.items():
            if partitions < 1:
                raise ValueError(f"topic {name!r} needs at least one partition")
            existing = self._logs.get(name)
            if existing is None:
                self._logs[name] = [[] for _ in range(partitions)]
                self._bases[name] = [0] * partitions
                created.add(name)
                self._topic_created(name, partitions)
            elif len(existing) != partitions:
                _log.warning(
                    "bus.topic_partitions_differ",
                    topic=name,
                    existing=len(existing),
                    requested=partitions,
                )
        for group in list(self._groups.values()):
            if group.subscribed_topics() & created:
                await group.rebalance()

    async def publish(
        self,
        topic: str,
        key: str,
        value: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        partitions = self._logs.get(topic)
        if partitions is None:
            raise UnknownTopicError(f"topic {topic!r} does not exist; call ensure_topics first")
        number = partition_for_key(key, len(partitions))
        log = partitions[number]
        record = Record(topic, key, bytes(value), dict(headers or {}), number,
                        self._bases[topic][number] + len(log))
        self._appended(record)  # durable first: a failure here means not published
        log.append(record)
        for group in self._groups.values():
            group.wake((topic, number))
        await asyncio.sleep(0)

    def consumer(
        self,
        group: str,
        topics: Sequence[str],
        handler: Handler,
        *,
        retry_backoff_s: float = 0.2,
    ) -> MemoryConsumer:
        return MemoryConsumer(self, self._group_named(group), tuple(topics), handler,
                              retry_backoff_s)

    def _group_named(self, name: str) -> _Group:
        group = self._groups.get(name)
        if group is None:
            group = self._groups[name] = _Group(name, self)
        return group

    # --- what a durable log adds (durable.py); nothing to do in memory ---------------------
    def _topic_created(self, topic: str, partitions: int) -> None:
        return None

    def _appended(self, record: Record) -> None:
        return None

    def _committed(self, group: str, tp: TopicPartition, offset: int) -> None:
        return None

    def base_of(self, tp: TopicPartition) -> int:
        bases = self._bases.get(tp[0])
        return bases[tp[1]] if bases else 0

    def partitions_of(self, topic: str) -> int:
        """Number of partitions of ``topic`` (0 if it does not exist)."""
        return len(self._logs.get(topic, ()))

    def lag(self) -> int:
        """Records published but not yet committed by some group that subscribes to them."""
        total = 0
        for group in self._groups.values():
            for topic in group.subscribed_topics():
                for number, log in enumerate(self._logs.get(topic, ())):
                    base = self.base_of((topic, number))
                    total += base + len(log) - max(group.committed.get((topic, number), 0), base)
        return total

    def record_at(self, tp: TopicPartition, offset: int) -> Record | None:
        log = self._logs[tp[0]][tp[1]]
        index = offset - self.base_of(tp)
        return log[index] if 0 <= index < len(log) else None


class _Group:
    """Membership, assignment (round-robin, like aiokafka's default) and committed offsets."""

    def __init__(self, name: str, bus: MemoryBus) -> None:
        self.name = name
        self.committed: dict[TopicPartition, int] = {}
        self._bus = bus
        self._members: list[MemoryConsumer] = []
        self._lock = asyncio.Lock()

    def subscribed_topics(self) -> set[str]:
        return {topic for member in self._members for topic in member.topics}

    def commit(self, tp: TopicPartition, offset: int) -> None:
        self._bus._committed(self.name, tp, offset)
        self.committed[tp] = offset

    def wake(self, tp: TopicPartition) -> None:
        for member in self._members:
            member.wake_if_owner(tp)

    async def join(self, member: MemoryConsumer) -> None:
        async with self._lock:
            self._members.append(member)
            await self._reassign()

    async def leave(self, member: MemoryConsumer) -> None:
        async with self._lock:
            if member in self._members:
                self._members.remove(member)
                await self._reassign()

    async def rebalance(self) -> None:
        async with self._lock:
            await self._reassign()

    async def _reassign(self) -> None:
        """Eager rebalance: every member finishes its record in hand and gives up all."""
        for member in self._members:
            await member.revoke()
        shares: dict[MemoryConsumer, list[TopicPartition]] = {m: [] for m in self._members}
        for topic in sorted(self.subscribed_topics()):
            takers = [m for m in self._members if topic in m.topics]
            tps = [(topic, p) for p in range(self._bus.partitions_of(topic))]
            for tp, member in zip(tps, itertools.cycle(takers), strict=False):
                shares[member].append(tp)
        for member, tps in shares.items():
            member.assign(tps, {tp: max(self.committed.get(tp, 0), self._bus.base_of(tp))
                                for tp in tps})
        _log.info(
            "bus.group_rebalanced",
            group=self.name,
            members=len(self._members),
            assignment={m.member_id: len(tps) for m, tps in shares.items()},
        )


class MemoryConsumer:
    """One group member: a worker task over its assigned partitions."""

    _ids = itertools.count(1)

    def __init__(
        self,
        bus: MemoryBus,
        group: _Group,
        topics: tuple[str, ...],
        handler: Handler,
        retry_backoff_s: float,
    ) -> None:
        self.topics = topics
        self.member_id = f"{group.name}-{next(self._ids)}"
        self._bus = bus
        self._group = group
        self._handler = handler
        self._retry_backoff_s = retry_backoff_s
        self._positions: dict[TopicPartition, int] = {}
        self._busy = asyncio.Lock()
        self._wakeup = asyncio.Event()
        self._interrupt = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._turn = 0

    async def start(self) -> None:
        if self._task is not None:
            raise RuntimeError(f"consumer {self.member_id} was already started")
        self._bus._running.add(self)
        await self._group.join(self)
        self._task = asyncio.create_task(self._run(), name=f"bus-consumer-{self.member_id}")

    async def stop(self) -> None:
        if self._task is None or self._stopping:
            return
        self._stopping = True
        self._interrupt.set()
        self._wakeup.set()
        await self._task
        await self._leave()

    async def abort(self) -> None:
        if self._task is None or self._stopping:
            return
        self._stopping = True
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self._leave()

    async def _leave(self) -> None:
        self._bus._running.discard(self)
        await self._group.leave(self)

    async def revoke(self) -> None:
        """Wait for the record in hand (its current attempt), then drop every partition."""
        self._interrupt.set()
        async with self._busy:
            self._positions = {}
        if not self._stopping:
            self._interrupt.clear()

    def assign(self, tps: list[TopicPartition], committed: Mapping[TopicPartition, int]) -> None:
        """Take ``tps``, each from its committed offset (the earliest record if none)."""
        self._positions = {tp: committed.get(tp, 0) for tp in tps}
        self._wakeup.set()

    def wake_if_owner(self, tp: TopicPartition) -> None:
        if tp in self._positions:
            self._wakeup.set()

    async def _run(self) -> None:
        while not self._stopping:
            self._wakeup.clear()
            async with self._busy:
                record = self._next_record()
                if record is not None:
                    await self._process(record)
            if record is None:
                await self._wakeup.wait()

    def _next_record(self) -> Record | None:
        """The next record of one of our partitions, taking the partitions in turn."""
        if self._interrupt.is_set():
            return None
        tps = list(self._positions)
        for i in range(len(tps)):
            tp = tps[(self._turn + i) % len(tps)]
            record = self._bus.record_at(tp, self._positions[tp])
            if record is not None:
                self._turn += i + 1
                return record
        return None

    async def _process(self, record: Record) -> None:
        delivered = await deliver(
            record,
            self._handler,
            group=self._group.name,
            retry_backoff_s=self._retry_backoff_s,
            interrupted=self._interrupt,
        )
        if delivered:
            tp = (record.topic, record.partition)
            self._positions[tp] = record.offset + 1
            self._group.commit(tp, record.offset + 1)
