"""Queries behind the staff API: deliveries and letters, newest first, paged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from services.notifications.adapters import tables as t

DELIVERY_COLUMNS = (t.deliveries.c.id, t.deliveries.c.recipient, t.deliveries.c.template,
                    t.deliveries.c.cause_event_id, t.deliveries.c.cause_type,
                    t.deliveries.c.language, t.deliveries.c.subject, t.deliveries.c.status,
                    t.deliveries.c.attempts, t.deliveries.c.last_error,
                    t.deliveries.c.created_at, t.deliveries.c.sent_at)
LETTER_COLUMNS = tuple(c for c in t.letters.c if c.name != "html_body")


async def _page(session: AsyncSession, columns: Sequence[Any], where: list[ColumnElement[bool]],
                order: Sequence[Any], limit: int, offset: int) -> tuple[list[Row[Any]], int]:
    table = columns[0].table
    total = (await session.execute(select(func.count()).select_from(table).where(*where))
             ).scalar_one()
    rows = await session.execute(select(*columns).where(*where).order_by(*order)
                                 .limit(limit).offset(offset))
    return list(rows), int(total)


async def list_deliveries(session: AsyncSession, *, status: str | None, template: str | None,
                          recipient: str | None, cause_event_id: str | None, limit: int,
                          offset: int) -> tuple[list[Row[Any]], int]:
    c = t.deliveries.c
    where: list[ColumnElement[bool]] = []
    if status:
        where.append(c.status == status)
    if template:
        where.append(c.template == template)
    if recipient:
        where.append(func.lower(c.recipient) == recipient.lower())
    if cause_event_id:
        where.append(c.cause_event_id == cause_event_id)
    return await _page(session, DELIVERY_COLUMNS, where, (c.created_at.desc(), c.id),
                       limit, offset)


async def get_delivery(session: AsyncSession, delivery_id: str) -> Any:
    return (await session.execute(select(*DELIVERY_COLUMNS).where(
        t.deliveries.c.id == delivery_id))).first()


async def retry_delivery(session: AsyncSession, delivery_id: str, now: Any) -> bool:
    """A dead delivery goes back to the queue with a fresh set of attempts."""
    result = await session.execute(update(t.deliveries).where(
        t.deliveries.c.id == delivery_id, t.deliveries.c.status == "dead").values(
        status="pending", attempts=0, next_attempt_at=now))
    return bool(getattr(result, "rowcount", 0) == 1)


async def list_letters(session: AsyncSession, *, status: str | None, limit: int,
                       offset: int) -> tuple[list[Row[Any]], int]:
    where: list[ColumnElement[bool]] = [t.letters.c.status == status] if status else []
    return await _page(session, LETTER_COLUMNS, where,
                       (t.letters.c.created_at.desc(), t.letters.c.id), limit, offset)


async def get_letter(session: AsyncSession, letter_id: str) -> Row[Any] | None:
    return (await session.execute(select(t.letters).where(t.letters.c.id == letter_id))).first()


async def mark_posted(session: AsyncSession, letter_id: str, by: str, now: Any) -> bool:
    result = await session.execute(update(t.letters).where(
        t.letters.c.id == letter_id, t.letters.c.status == "to_post").values(
        status="posted", posted_at=now, posted_by=by))
    return bool(getattr(result, "rowcount", 0) == 1)
