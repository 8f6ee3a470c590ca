"""The audit trail: every security event is a row here and an event for other services."""

from __future__ import annotations

import structlog
from sqlalchemy import insert

from services.identity.adapters import tables as t
from shared.events.identity import SecurityEventV1
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()


async def record(uow: UnitOfWork, profile_id: str, kind: str, detail: str = "") -> None:
    """Write the audit row and emit ``identity.security.event`` in the caller's transaction."""
    await uow.session.execute(insert(t.security_events).values(
        id=str(uow.ids.new()), profile_id=profile_id, kind=kind, detail=detail[:500],
        at=uow.clock.now()))
    await uow.emit(SecurityEventV1(profile_id=profile_id, kind=kind, detail=detail[:500]),
                   subject=profile_id)
    log.info("identity.security_event", profile_id=profile_id, kind=kind)
