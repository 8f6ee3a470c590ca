"""The inbox: a consumer group records each event id with its effects; duplicates are skipped."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import Clock
from shared.events.envelope import Envelope
from shared.messaging.tables import MessagingTables


async def record(session: AsyncSession, tables: MessagingTables, group: str,
                 envelope: Envelope, clock: Clock) -> bool:
    """Record the event for ``group`` in the caller's transaction; False if already processed.

    One statement (``INSERT … ON CONFLICT DO NOTHING RETURNING``), so one round trip an event.
    Two members racing on one event (possible only during a rebalance): the second waits on
    the first's key until that commits, then inserts nothing and skips.
    """
    builder = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (builder(tables.inbox)
                 .values(consumer_group=group, event_id=str(envelope.id),
                         event_type=envelope.type, processed_at=clock.now())
                 .on_conflict_do_nothing(index_elements=["consumer_group", "event_id"])
                 .returning(tables.inbox.c.event_id))
    return (await session.execute(statement)).first() is not None
