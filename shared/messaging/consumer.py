"""Runs a service's event handlers behind the inbox, in the handler's own transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import structlog
from pydantic import ValidationError

from shared.events.envelope import Envelope, Payload
from shared.events.registry import decode
from shared.logging import bind_correlation
from shared.messaging import inbox
from shared.messaging.ports import Record
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger()

EventHandler = Callable[[UnitOfWork, Payload, Envelope], Awaitable[None]]


class EventDispatcher:
    """The bus handler of one consumer group: decode, drop duplicates, handle, commit."""

    def __init__(self, group: str, handlers: Mapping[str, EventHandler], uows: UnitOfWorkFactory):
        self.group = group
        self._handlers = dict(handlers)
        self._uows = uows

    @property
    def event_types(self) -> list[str]:
        return sorted(self._handlers)

    async def __call__(self, record: Record) -> None:
        try:
            envelope = Envelope.from_bytes(record.value)
            payload = decode(envelope)
        except (ValidationError, ValueError):
            log.error("bus.poison_message", topic=record.topic, offset=record.offset)
            return
        handler = self._handlers.get(envelope.type)
        if handler is None or payload is None:
            return
        bind_correlation(envelope.correlation_id)
        async with self._uows(correlation_id=envelope.correlation_id,
                              causation_id=str(envelope.id)) as uow:
            if not await inbox.record(uow.session, self._uows.tables, self.group, envelope,
                                      uow.clock):
                log.info("inbox.duplicate_skipped", group=self.group, event_id=str(envelope.id))
                return
            await handler(uow, payload, envelope)
            await uow.commit()
        log.info("event.handled", group=self.group, type=envelope.type, subject=envelope.subject)
