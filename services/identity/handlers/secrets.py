"""Checking an account number and shared secret against the read model, attempts limited.

Wrong secrets are counted per client address first: five wrong guesses from one address stop
that address for the window, and never the account's owner registering from elsewhere. The
account itself is protected from guesses spread over many addresses by a much higher limit,
and a signed-in profile by its own (docs/security.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import ColumnElement, func, insert, select

from services.identity.adapters import tables as t
from shared.db.engine import Reader
from shared.errors import TooManyRequestsError, UnauthorizedError
from shared.hashing import verify_off_loop
from shared.messaging.uow import UnitOfWorkFactory

log = structlog.get_logger()


@dataclass(frozen=True)
class AttemptLimit:
    max_failures: int = 5  # per client address, and per signed-in profile
    window: timedelta = timedelta(hours=1)
    max_account_failures: int = 50  # per account, every address together


async def _failures(db: Reader, scope: ColumnElement[bool], limit: AttemptLimit,
                    now: datetime) -> int:
    return int((await db.execute(select(func.count()).select_from(t.secret_attempts).where(
        scope, t.secret_attempts.c.at >= now - limit.window))).scalar_one())


def _too_many(limit: AttemptLimit, who: str) -> TooManyRequestsError:
    return TooManyRequestsError(
        "ID-SECRET-ATTEMPTS", f"Too many wrong shared secrets were tried {who}.",
        field="shared_secret", retry_after=int(limit.window.total_seconds()),
        fix="Wait an hour, or ask your district office for the secret.")


async def _check_limits(db: Reader, account_number: str, limit: AttemptLimit,
                        client: str | None, profile_id: str | None, now: datetime) -> None:
    attempts = t.secret_attempts.c
    if client is not None and await _failures(db, attempts.client == client, limit,
                                              now) >= limit.max_failures:
        raise _too_many(limit, "from your address")
    if profile_id is not None and await _failures(db, attempts.profile_id == profile_id,
                                                  limit, now) >= limit.max_failures:
        raise _too_many(limit, "by this web profile")
    if await _failures(db, attempts.account_number == account_number, limit,
                       now) >= limit.max_account_failures:
        raise _too_many(limit, "for this account")


async def verify_pair(uows: UnitOfWorkFactory, account_number: str, secret: str,
                      limit: AttemptLimit, profile_id: str | None = None,
                      client: str | None = None) -> None:
    """Raise unless the pair checks out. Past a limit nothing is compared until the window
    has passed (429 with Retry-After)."""
    now = uows.clock.now()
    async with uows.reading() as db:  # no connection is held while the secret is hashed
        await _check_limits(db, account_number, limit, client, profile_id, now)
        row = (await db.execute(select(t.rm_accounts.c.secret_hash).where(
            t.rm_accounts.c.account_number == account_number))).first()
    if row is not None and await verify_off_loop(row.secret_hash, secret.strip()):
        return
    async with uows() as uow:
        await uow.session.execute(insert(t.secret_attempts).values(
            id=str(uow.ids.new()), account_number=account_number, profile_id=profile_id,
            client=client[:64] if client else None, at=uow.clock.now()))
        await uow.commit()
    log.info("identity.shared_secret_refused", account_number=account_number)
    raise UnauthorizedError("ID-SECRET-WRONG", "The account number and shared secret do not "
                            "match.", field="shared_secret",
                            fix="Copy both from your latest invoice; attempts are limited.")
