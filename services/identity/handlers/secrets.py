"""Checking an account number and shared secret against the read model, attempts limited.

Wrong secrets are counted per client address first: five wrong guesses from one address stop
that address for the window, and never the account's owner registering from elsewhere. The
account itself is protected from guesses spread over many addresses by a much higher limit,
and a signed-in profile by its own (docs/security.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import ColumnElement, func, insert, select

from services.identity.adapters import tables as t
from shared.errors import TooManyRequestsError, UnauthorizedError
from shared.hashing import verify_off_loop
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger()


@dataclass(frozen=True)
class AttemptLimit:
    max_failures: int = 5  # per client address, and per signed-in profile
    window: timedelta = timedelta(hours=1)
    max_account_failures: int = 50  # per account, every address together


async def _failures(uow: UnitOfWork, scope: ColumnElement[bool], limit: AttemptLimit) -> int:
    since = uow.clock.now() - limit.window
    return int((await uow.session.execute(select(func.count()).select_from(
        t.secret_attempts).where(scope, t.secret_attempts.c.at >= since))).scalar_one())


def _too_many(limit: AttemptLimit, who: str) -> TooManyRequestsError:
    return TooManyRequestsError(
        "ID-SECRET-ATTEMPTS", f"Too many wrong shared secrets were tried {who}.",
        field="shared_secret", retry_after=int(limit.window.total_seconds()),
        fix="Wait an hour, or ask your district office for the secret.")


async def _check_limits(uow: UnitOfWork, account_number: str, limit: AttemptLimit,
                        client: str | None, profile_id: str | None) -> None:
    attempts = t.secret_attempts.c
    if client is not None and await _failures(uow, attempts.client == client,
                                               limit) >= limit.max_failures:
        raise _too_many(limit, "from your address")
    if profile_id is not None and await _failures(uow, attempts.profile_id == profile_id,
                                                  limit) >= limit.max_failures:
        raise _too_many(limit, "by this web profile")
    if await _failures(uow, attempts.account_number == account_number,
                       limit) >= limit.max_account_failures:
        raise _too_many(limit, "for this account")


async def verify_pair(uows: UnitOfWorkFactory, account_number: str, secret: str,
                      limit: AttemptLimit, profile_id: str | None = None,
                      client: str | None = None) -> None:
    """Raise unless the pair checks out. Past a limit nothing is compared until the window
    has passed (429 with Retry-After)."""
    async with uows() as uow:
        await _check_limits(uow, account_number, limit, client, profile_id)
        row = (await uow.session.execute(select(t.rm_accounts.c.secret_hash).where(
            t.rm_accounts.c.account_number == account_number))).first()
        if row is not None and await verify_off_loop(row.secret_hash, secret.strip()):
            return
        await uow.session.execute(insert(t.secret_attempts).values(
            id=str(uow.ids.new()), account_number=account_number, profile_id=profile_id,
            client=client[:64] if client else None, at=uow.clock.now()))
        await uow.commit()
    log.info("identity.shared_secret_refused", account_number=account_number)
    raise UnauthorizedError("ID-SECRET-WRONG", "The account number and shared secret do not "
                            "match.", field="shared_secret",
                            fix="Copy both from your latest invoice; attempts are limited.")
