"""Checking an account number and shared secret against the read model, attempts limited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import func, insert, or_, select

from services.identity.adapters import tables as t
from shared.errors import DomainError, UnauthorizedError
from shared.hashing import verify_secret
from shared.messaging.uow import UnitOfWorkFactory

log = structlog.get_logger()


@dataclass(frozen=True)
class AttemptLimit:
    max_failures: int = 5
    window: timedelta = timedelta(hours=1)


async def verify_pair(uows: UnitOfWorkFactory, account_number: str, secret: str,
                      limit: AttemptLimit, profile_id: str | None = None) -> None:
    """Raise unless the pair checks out. Failures count per account and per profile; past the
    limit nothing is compared until the window has passed."""
    async with uows() as uow:
        since = uow.clock.now() - limit.window
        scope = t.secret_attempts.c.account_number == account_number
        if profile_id is not None:
            scope = or_(scope, t.secret_attempts.c.profile_id == profile_id)
        failures = (await uow.session.execute(select(func.count()).select_from(
            t.secret_attempts).where(scope, t.secret_attempts.c.at >= since))).scalar_one()
        if failures >= limit.max_failures:
            raise DomainError("ID-SECRET-ATTEMPTS", "Too many wrong shared secrets were tried "
                              "for this account.", status=429, field="shared_secret",
                              fix="Wait an hour, or ask your district office for the secret.")
        row = (await uow.session.execute(select(t.rm_accounts.c.secret_hash).where(
            t.rm_accounts.c.account_number == account_number))).first()
        if row is not None and verify_secret(row.secret_hash, secret.strip()):
            return
        await uow.session.execute(insert(t.secret_attempts).values(
            id=str(uow.ids.new()), account_number=account_number, profile_id=profile_id,
            at=uow.clock.now()))
        await uow.commit()
    log.info("identity.shared_secret_refused", account_number=account_number)
    raise UnauthorizedError("ID-SECRET-WRONG", "The account number and shared secret do not "
                            "match.", field="shared_secret",
                            fix="Copy both from your latest invoice; attempts are limited.")
