"""The message bus port: what services publish to and consume from.

Two implementations honour it: ``memory.MemoryBus`` (one asyncio loop, used by the embedded
mode and the cheap tests) and ``kafka.KafkaBus`` (aiokafka). ``factory.open_bus`` picks one from
a URL. The contract suite in ``tests/contract/test_bus.py`` runs against both.

This module also holds the delivery policy both implementations share (retry with a growing
back-off, never skip), so that the two cannot drift apart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import structlog

MAX_RETRY_BACKOFF_S = 5.0
"""Cap of the back-off between two attempts at the same record."""

_log = structlog.get_logger()


@dataclass(frozen=True, slots=True)
class Record:
    """One record as a consumer sees it. ``offset`` is its position in ``partition``."""

    topic: str
    key: str
    value: bytes
    headers: Mapping[str, str]
    partition: int
    offset: int


Handler = Callable[[Record], Awaitable[None]]


class Consumer(Protocol):
    """One member of a consumer group."""

    async def start(self) -> None:
        """Join the group; return once this member has its (possibly empty) assignment."""
        ...

    async def stop(self) -> None:
        """Finish the record in hand, commit it, leave the group."""
        ...

    async def abort(self) -> None:
        """Simulate a crash: stop at once, commit nothing more, leave the group."""
        ...


class Bus(Protocol):
    """Topics with key-ordered partitions, consumer groups, at-least-once delivery."""

    async def start(self) -> None: ...

    async def stop(self) -> None:
        """Stop the consumers still running (gracefully), then the producer."""
        ...

    async def ensure_topics(self, topics: Mapping[str, int]) -> None:
        """Create missing topics (name -> partition count). Existing topics are left alone."""
        ...

    async def publish(
        self,
        topic: str,
        key: str,
        value: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Append a record to the key's partition; return once the broker acknowledged it."""
        ...

    def consumer(
        self,
        group: str,
        topics: Sequence[str],
        handler: Handler,
        *,
        retry_backoff_s: float = 0.2,
    ) -> Consumer: ...


class RetryLater(Exception):
    """Raised by a handler that waits for something still on its way (an account its read
    model does not know yet): the record is tried again with the same back-off, logged as a
    wait (info, no traceback) instead of a failure. Still waiting after
    ``WAIT_WARNING_ATTEMPTS`` tries, it is logged once as a warning (still no traceback)."""


WAIT_WARNING_ATTEMPTS = 12


class UnknownTopicError(LookupError):
    """Raised by the in-memory bus for a topic that ``ensure_topics`` never created."""


async def deliver(
    record: Record,
    handler: Handler,
    *,
    group: str,
    retry_backoff_s: float,
    interrupted: asyncio.Event,
) -> bool:
    """Hand ``record`` to ``handler`` until it returns; True once it has.

    A failure is logged (never the value bytes) and the same record is tried again after a
    back-off that doubles up to ``MAX_RETRY_BACKOFF_S``. The wait ends early, returning False
    without another attempt, when ``interrupted`` is set (the consumer is stopping or losing the
    partition); the record is then not committed and will be delivered again.
    """
    delay = retry_backoff_s
    attempt = 0
    while True:
        attempt += 1
        try:
            await handler(record)
        except RetryLater as exc:
            _waiting(group, record, attempt, delay, exc)
        except Exception as exc:
            _log.warning(
                "bus.handler_failed",
                group=group,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                key=record.key,
                attempt=attempt,
                retry_in_s=delay,
                error_type=type(exc).__name__,
                exc_info=exc,
            )
        else:
            return True
        if await _wait(interrupted, delay):
            return False
        delay = min(delay * 2, MAX_RETRY_BACKOFF_S)


def _waiting(group: str, record: Record, attempt: int, delay: float, exc: RetryLater) -> None:
    log = _log.warning if attempt == WAIT_WARNING_ATTEMPTS else _log.info
    log("bus.handler_waiting", group=group, topic=record.topic, partition=record.partition,
        offset=record.offset, key=record.key, attempt=attempt, retry_in_s=delay,
        reason=str(exc))


async def _wait(event: asyncio.Event, timeout_s: float) -> bool:
    """Wait up to ``timeout_s`` for ``event``; True if it was set."""
    try:
        await asyncio.wait_for(event.wait(), timeout_s)
    except TimeoutError:
        return False
    return True
