"""The inbox: a consumer group records each event id with its effects; duplicates are skipped."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import Clock
from shared.events.envelope import Envelope
from shared.messaging.tables import MessagingTables


async def seen(session: AsyncSession, tables: MessagingTables, group: str, event_id: str) -> bool:
    query = select(tables.inbox.c.event_id).where(
        tables.inbox.c.consumer_group == group, tables.inbox.c.event_id == event_id)
    return (await session.execute(query)).first() is not None


async def record(session: AsyncSession, tables: MessagingTables, group: str,
                 envelope: Envelope, clock: Clock) -> bool:
    """Record the event for ``group`` in the caller's transaction; False if already processed.

    Two members racing on one event (possible only during a rebalance) both pass the check; the
    primary key then refuses the second commit and its handler is retried, which then skips.
    """
    if await seen(session, tables, group, str(envelope.id)):
        return False
    await session.execute(insert(tables.inbox).values(
        consumer_group=group, event_id=str(envelope.id), event_type=envelope.type,
        processed_at=clock.now()))
    return True
