"""The bus port on Kafka (aiokafka): one producer per bus, one AIOKafkaConsumer per member.

Offsets are committed by hand, one record at a time, after the handler returned. A rebalance
lets the record in hand finish (and commit) before its partition goes to another member.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError, for_code
from aiokafka.protocol.group import LeaveGroupRequest
from aiokafka.structs import ConsumerRecord

from shared.messaging.ports import Handler, Record, deliver

_log = structlog.get_logger()

Batch = Sequence[ConsumerRecord[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class KafkaOptions:
    """Client settings. Tests against tansu pass session/heartbeat of about 6000/1000 ms."""

    client_id: str = "spectrum"
    enable_idempotence: bool = False  # tansu rejects it; production turns it on
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 3_000
    replication_factor: int = 3
    request_timeout_ms: int = 40_000


class KafkaBus:
    """The bus port on a Kafka cluster (or tansu). See ``KafkaOptions`` for the settings."""

    def __init__(
        self, bootstrap_servers: str | Sequence[str], options: KafkaOptions | None = None
    ) -> None:
        servers = [bootstrap_servers] if isinstance(bootstrap_servers, str) else bootstrap_servers
        self._servers = ",".join(servers)
        self._options = options or KafkaOptions()
        self._producer: AIOKafkaProducer | None = None
        self._running: set[KafkaConsumer] = set()

    async def start(self) -> None:
        if self._producer is not None:
            return
        producer = AIOKafkaProducer(
            bootstrap_servers=self._servers,
            client_id=self._options.client_id,
            acks="all",
            enable_idempotence=self._options.enable_idempotence,
            request_timeout_ms=self._options.request_timeout_ms,
        )
        await producer.start()
        self._producer = producer

    async def stop(self) -> None:
        for consumer in list(self._running):
            await consumer.stop()
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()

    async def ensure_topics(self, topics: Mapping[str, int]) -> None:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self._servers,
            client_id=self._options.client_id,
            request_timeout_ms=self._options.request_timeout_ms,
        )
        await admin.start()
        try:
            new = [NewTopic(n, p, self._options.replication_factor) for n, p in topics.items()]
            response = await admin.create_topics(new)
            existing = _raise_for_errors(response.topic_errors)
            if existing:
                _warn_on_mismatch(await admin.describe_topics(existing), topics)
        finally:
            await admin.close()

    async def publish(
        self,
        topic: str,
        key: str,
        value: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if self._producer is None:
            raise RuntimeError("KafkaBus.start() must be awaited before publish()")
        await self._producer.send_and_wait(
            topic,
            value=value,
            key=key.encode(),
            headers=[(name, text.encode()) for name, text in (headers or {}).items()],
        )

    def consumer(
        self,
        group: str,
        topics: Sequence[str],
        handler: Handler,
        *,
        retry_backoff_s: float = 0.2,
    ) -> KafkaConsumer:
        def client() -> AIOKafkaConsumer:
            return AIOKafkaConsumer(
                bootstrap_servers=self._servers,
                client_id=self._options.client_id,
                group_id=group,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                session_timeout_ms=self._options.session_timeout_ms,
                heartbeat_interval_ms=self._options.heartbeat_interval_ms,
                request_timeout_ms=self._options.request_timeout_ms,
            )

        start_timeout_s = max(30.0, 3 * self._options.session_timeout_ms / 1000)
        return KafkaConsumer(client, group, tuple(topics), handler, retry_backoff_s, self._running,
                             start_timeout_s)


def _raise_for_errors(topic_errors: Sequence[tuple[Any, ...]]) -> list[str]:
    """Raise the first real error of a CreateTopics response; return the topics that existed."""
    existing: list[str] = []
    for name, code, *rest in topic_errors:
        if code == TopicAlreadyExistsError.errno:
            existing.append(name)
        elif code != 0:
            detail = rest[0] if rest and rest[0] else "no detail"
            raise for_code(code)(f"creating topic {name!r} failed: {detail}")
    return existing


def _warn_on_mismatch(described: Sequence[Mapping[str, Any]], wanted: Mapping[str, int]) -> None:
    for topic in described:
        name, count = topic["topic"], len(topic["partitions"])
        if count != wanted[name]:
            _log.warning(
                "bus.topic_partitions_differ", topic=name, existing=count, requested=wanted[name]
            )


def _to_record(message: ConsumerRecord[bytes, bytes]) -> Record:
    return Record(
        topic=message.topic,
        key=(message.key or b"").decode(errors="replace"),
        value=message.value or b"",
        headers={name: (raw or b"").decode(errors="replace") for name, raw in message.headers},
        partition=message.partition,
        offset=message.offset,
    )


def _leave_also_from_generation_zero(client: AIOKafkaConsumer) -> None:
    """Make ``stop()`` send LeaveGroup even in generation 0.

    tansu numbers a group's first generation 0 where Kafka starts at 1, and aiokafka only
    leaves a group from generation > 0; without this a stopped member of a new group keeps its
    partitions until its session times out. On Kafka the behaviour is unchanged. If aiokafka's
    internals change, this quietly does nothing and only the waiting comes back.
    """
    coordinator = getattr(client, "_coordinator", None)
    if coordinator is None or not hasattr(coordinator, "_maybe_leave_group"):
        return

    async def leave() -> None:
        if coordinator.generation >= 0 and coordinator.member_id:
            request = LeaveGroupRequest(coordinator.group_id, coordinator.member_id)
            try:
                await coordinator._send_req(request)
            except KafkaError as exc:
                _log.warning("bus.leave_group_failed", group=coordinator.group_id, error=repr(exc))
        coordinator.reset_generation()

    coordinator._maybe_leave_group = leave


class KafkaConsumer(ConsumerRebalanceListener):
    """One group member. Also its own rebalance listener."""

    def __init__(
        self,
        make_client: Callable[[], AIOKafkaConsumer],
        group: str,
        topics: tuple[str, ...],
        handler: Handler,
        retry_backoff_s: float,
        running: set[KafkaConsumer],
        start_timeout_s: float = 60.0,
    ) -> None:
        self._make_client = make_client
        self._client = make_client()
        self._start_timeout_s = start_timeout_s
        self._group = group
        self._topics = topics
        self._handler = handler
        self._retry_backoff_s = retry_backoff_s
        self._running = running
        self._busy = asyncio.Lock()
        self._interrupt = asyncio.Event()
        self._generation = 0
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Join the group. A join that does not end (the broker restarted in the middle of
        it) is given up after ``start_timeout_s`` and tried again with a new client."""
        if self._task is not None:
            raise RuntimeError(f"consumer of group {self._group} was already started")
        attempt = 0
        while True:
            attempt += 1
            self._client.subscribe(list(self._topics), listener=self)
            try:
                # returns once the group gave this member its assignment
                await asyncio.wait_for(self._client.start(), self._start_timeout_s)
                break
            except TimeoutError:
                _log.warning("bus.join_timed_out", group=self._group, attempt=attempt,
                             after_s=self._start_timeout_s)
                await self._client.stop()
                self._client = self._make_client()
            except BaseException:
                await self._client.stop()
                raise
        _leave_also_from_generation_zero(self._client)
        self._running.add(self)
        self._task = asyncio.create_task(self._run(), name=f"bus-consumer-{self._group}")

    async def stop(self) -> None:
        if self._task is None or self._stopping:
            return
        self._stopping = True
        self._interrupt.set()
        async with self._busy:  # the record in hand is finished and committed
            self._task.cancel()
        await self._close()

    async def abort(self) -> None:
        if self._task is None or self._stopping:
            return
        self._stopping = True
        self._task.cancel()
        await self._close()

    async def _close(self) -> None:
        assert self._task is not None
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._running.discard(self)
        await self._client.stop()  # leaves the group; commits nothing (auto-commit is off)

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self._interrupt.set()
        async with self._busy:
            self._generation += 1
        if not self._stopping:
            self._interrupt.clear()

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._generation += 1
        _log.info("bus.partitions_assigned", group=self._group, partitions=len(assigned))

    async def _run(self) -> None:
        while True:
            try:
                batches = await self._client.getmany(timeout_ms=1000)
            except Exception as exc:  # keep consuming; a dead task would stall silently
                _log.error("bus.fetch_failed", group=self._group, exc_info=exc)
                await asyncio.sleep(1.0)
                continue
            generation = self._generation
            pending: list[tuple[TopicPartition, Batch]] = list(batches.items())
            while pending:
                tp, messages = pending.pop(0)
                done = await self._process_batch(messages, generation)
                if done < len(messages):
                    pending.insert(0, (tp, messages[done:]))
                    self._rewind(pending, generation)
                    break

    def _rewind(self, pending: list[tuple[TopicPartition, Batch]], generation: int) -> None:
        """Fetch again from the first record not handled, so that none is skipped.

        After a rebalance aiokafka already restarts every partition from its committed offset.
        """
        if self._generation != generation or self._stopping:
            return
        for tp, messages in pending:
            with contextlib.suppress(KafkaError):  # IllegalStateError: no longer assigned
                self._client.seek(tp, messages[0].offset)

    async def _process_batch(self, messages: Batch, generation: int) -> int:
        """Handle one partition's records in order; return how many were handled and committed."""
        for done, message in enumerate(messages):
            async with self._busy:
                if self._stopping or self._generation != generation:
                    return done
                record = _to_record(message)
                delivered = await deliver(
                    record,
                    self._handler,
                    group=self._group,
                    retry_backoff_s=self._retry_backoff_s,
                    interrupted=self._interrupt,
                )
                if not delivered or not await self._commit(record):
                    return done
        return len(messages)

    async def _commit(self, record: Record) -> bool:
        tp = TopicPartition(record.topic, record.partition)
        try:
            await self._client.commit({tp: record.offset + 1})
        except KafkaError as exc:
            _log.warning(
                "bus.commit_failed",
                group=self._group,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                error=repr(exc),
            )
            return False
        return True
