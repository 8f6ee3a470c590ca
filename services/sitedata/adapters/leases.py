"""Who checks which upload: a lease on the upload's row, taken, renewed and given back.

The uploads table is the durable queue of work: an upload in stage ``received`` needs
checking. A worker takes the oldest one whose lease is free, one account at a time (an
account's uploads are checked in order, different accounts side by side), renews the lease
while it works and reports progress with it. A worker that dies leaves a lease that runs
out; another worker (or the same after a restart) takes the upload over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.sitedata.adapters import tables as t
from services.sitedata.domain.upload import Stage

u = t.uploads


@dataclass(frozen=True)
class Claim:
    upload_id: str
    attempts: int


def _free(now: datetime) -> Any:
    return or_(u.c.lease_until.is_(None), u.c.lease_until < now)


def _claimable(now: datetime) -> Any:
    """Waiting for a worker, and no upload of the same account is being checked."""
    busy = t.uploads.alias("busy")
    other_busy = exists().where(busy.c.stage == Stage.RECEIVED.value,
                                busy.c.account_number == u.c.account_number,
                                busy.c.lease_until >= now)
    return and_(u.c.stage == Stage.RECEIVED.value, _free(now), ~other_busy)


async def claim_next(session: AsyncSession, owner: str, now: datetime, lease: timedelta,
                     exclude: set[str] | None = None) -> Claim | None:
    """Take the oldest claimable upload (not one of ``exclude``, those this worker runs);
    None when there is none."""
    query = select(u.c.id).where(_claimable(now)).order_by(u.c.seq).limit(1)
    if exclude:
        query = query.where(u.c.id.not_in(sorted(exclude)))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=u)
    upload_id = (await session.execute(query)).scalar()
    if upload_id is None:
        return None
    result = await session.execute(
        update(u).where(u.c.id == upload_id, u.c.stage == Stage.RECEIVED.value, _free(now))
        .values(lease_owner=owner, lease_until=now + lease, attempts=u.c.attempts + 1)
        .returning(u.c.attempts))
    attempts = result.scalar()
    return None if attempts is None else Claim(upload_id, int(attempts))


async def renew(connection: AsyncConnection, upload_id: str, owner: str, until: datetime,
                progress: dict[str, int]) -> bool:
    """Keep the lease and record progress; False when the lease is no longer ours."""
    result = await connection.execute(
        update(u).where(u.c.id == upload_id, u.c.lease_owner == owner,
                        u.c.stage == Stage.RECEIVED.value)
        .values(lease_until=until, **progress))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


async def still_mine(session: AsyncSession, upload_id: str, owner: str) -> bool:
    """At the end of an attempt, in its transaction: the lease is still ours (the row is
    locked on PostgreSQL, so a worker taking over waits for this verdict)."""
    query = select(u.c.lease_owner, u.c.stage).where(u.c.id == upload_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return row is not None and row.lease_owner == owner and row.stage == Stage.RECEIVED.value


async def release(connection: AsyncConnection, upload_id: str, owner: str,
                  retry_at: datetime | None) -> None:
    """Give the upload back: another worker may take it at ``retry_at`` (at once if None)."""
    await connection.execute(update(u).where(u.c.id == upload_id, u.c.lease_owner == owner,
                                             u.c.stage == Stage.RECEIVED.value)
                             .values(lease_owner=None, lease_until=retry_at))


async def release_all(connection: AsyncConnection) -> int:
    """The only worker starts: every lease left by a process that is gone is free."""
    result = await connection.execute(update(u).where(u.c.stage == Stage.RECEIVED.value,
                                                      u.c.lease_owner.is_not(None))
                                      .values(lease_owner=None, lease_until=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
