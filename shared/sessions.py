"""Revoked sessions: the current session generation of each web profile, as a service knows it.

Identity moves a profile's generation on when it signs out, changes its password or roles, or
is disabled; it writes the new generation to its own ``session_revocations`` table and emits
``identity.profile.sessions_revoked``. Every other service copies that event into the same
table in its own schema (``revocation_handlers``). A token names the generation it was issued
in; a token of an older generation than the one known is refused.

The check sits on every request, so it is a dictionary look-up: each process keeps the table
in memory and reads only the rows changed since its last look, at most once a second
(``refresh_s``). A change made in this process (identity's own handlers, this service's
consumer) is noted at once after its commit. See docs/security.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.auth import Principal
from shared.clock import Clock
from shared.db.base import UtcDateTime
from shared.db.upsert import upsert
from shared.errors import UnauthorizedError
from shared.events.envelope import Envelope, Payload
from shared.events.identity import ProfileSessionsRevokedV1
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()

TABLE = "session_revocations"
# rows are read again this far back, so a change committed late (written with an earlier
# time than a refresh that missed it) is still seen
OVERLAP = timedelta(seconds=30)


def revocations_table(metadata: MetaData) -> Table:
    return Table(
        TABLE, metadata,
        Column("profile_id", String(36), primary_key=True),
        Column("generation", Integer, nullable=False),
        Column("at", UtcDateTime(), nullable=False, index=True),
    )


def revoked() -> UnauthorizedError:
    return UnauthorizedError("AUTH-SESSION-ENDED", "This sign-in has ended: the web profile "
                             "signed out, changed its password or roles, or was disabled.",
                             fix="Sign in again.")


class SessionRevocations:
    """The generations of one service's ``session_revocations`` table, kept in memory."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], table: Table, clock: Clock,
                 refresh_s: float = 1.0):
        self._sessions = sessions
        self._table = table
        self._clock = clock
        self.refresh_s = refresh_s
        self._generations: dict[str, int] = {}
        self._since: datetime | None = None
        self._last = 0.0
        self._loaded = False
        self._lock = asyncio.Lock()

    def note(self, profile_id: str, generation: int) -> None:
        """A generation learnt in this process (generations only move on)."""
        if generation > self._generations.get(profile_id, 0):
            self._generations[profile_id] = generation

    def generation(self, profile_id: str) -> int:
        return self._generations.get(profile_id, 0)

    def is_current(self, principal: Principal) -> bool:
        """From memory only (a page's layout asks this without waiting)."""
        return principal.generation >= self._generations.get(principal.profile_id, 0)

    async def check(self, principal: Principal) -> Principal:
        """The principal, unless its session has been ended (401)."""
        await self.refresh()
        if not self.is_current(principal):
            raise revoked()
        return principal

    async def refresh(self, *, force: bool = False) -> None:
        """Read the rows changed since the last look, when ``refresh_s`` has passed. Only the
        first look makes callers wait; later ones use the memory while one request reads."""
        loop = asyncio.get_running_loop()
        if self._loaded and not force and (loop.time() - self._last < self.refresh_s
                                           or self._lock.locked()):
            return
        async with self._lock:
            if self._loaded and not force and loop.time() - self._last < self.refresh_s:
                return
            started = self._clock.now()
            query = select(self._table.c.profile_id, self._table.c.generation)
            if self._since is not None:
                query = query.where(self._table.c.at >= self._since - OVERLAP)
            try:
                async with self._sessions() as session:
                    rows = (await session.execute(query)).all()
            except Exception:
                if not self._loaded:
                    raise
                log.warning("sessions.refresh_failed", exc_info=True)
                return
            for row in rows:
                self.note(row.profile_id, row.generation)
            self._since, self._last, self._loaded = started, loop.time(), True


async def record(uow: UnitOfWork, table: Table, profile_id: str, generation: int) -> bool:
    """Store ``generation`` unless a later one is known; True when it moved on."""
    known = (await uow.session.execute(select(table.c.generation).where(
        table.c.profile_id == profile_id))).scalar_one_or_none()
    if known is not None and known >= generation:
        return False
    await upsert(uow.session, table, {"profile_id": profile_id, "generation": generation,
                                      "at": uow.clock.now()}, ("profile_id",))
    return True


def revocation_handlers(revocations: SessionRevocations, table: Table
                        ) -> dict[str, EventHandler]:
    """The consumer of ``identity.profile.sessions_revoked`` for a service's read model."""

    async def on_revoked(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
        assert isinstance(payload, ProfileSessionsRevokedV1)
        if await record(uow, table, payload.profile_id, payload.generation):
            uow.after_commit(_noter(revocations, payload.profile_id, payload.generation))

    return {ProfileSessionsRevokedV1.TYPE: on_revoked}


def _noter(revocations: SessionRevocations, profile_id: str,
           generation: int) -> Callable[[], None]:
    return lambda: revocations.note(profile_id, generation)
