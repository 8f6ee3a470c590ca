"""Password reset by e-mailed one-time link, and the optional TOTP second factor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import or_, select, update

from services.identity.adapters import tables as t
from services.identity.domain import totp
from services.identity.domain.onetime import new_token, token_hash
from services.identity.domain.usernames import username_key
from services.identity.handlers import audit
from services.identity.handlers.crypto import SecretSealer
from services.identity.handlers.profiles import check_password
from shared.errors import DomainError, NotFoundError, UnauthorizedError
from shared.events.identity import PasswordResetRequestedV1
from shared.hashing import hash_secret
from shared.messaging.uow import UnitOfWorkFactory

log = structlog.get_logger()


async def request_reset(uows: UnitOfWorkFactory, who: str, base_url: str,
                        ttl: timedelta) -> None:
    """Mail a one-time link to the profile named (user name or e-mail). Says nothing about
    whether the profile exists."""
    async with uows() as uow:
        rows = (await uow.session.execute(select(t.profiles).where(or_(
            t.profiles.c.username_key == username_key(who),
            t.profiles.c.email == who.strip())))).all()
        for row in [r for r in rows if r.email][:5]:  # no address, nowhere to send a link
            expires = uow.clock.now() + ttl
            token = new_token()
            await uow.session.execute(t.password_resets.insert().values(
                token_hash=token_hash(token), profile_id=row.id, expires_at=expires))
            await uow.emit(PasswordResetRequestedV1(
                profile_id=row.id, email=row.email, language=row.language,
                reset_url=f"{base_url.rstrip('/')}/identity/reset/{token}", expires_at=expires),
                subject=row.id)
            await audit.record(uow, row.id, "password.reset_requested")
        await uow.commit()
    log.info("identity.password_reset_requested", matched=len(rows))


async def reset_password(uows: UnitOfWorkFactory, token: str, password: str,
                         confirm: str) -> None:
    if password != confirm:
        raise DomainError("ID-PASSWORD-MISMATCH", "The two passwords are not the same.",
                          field="confirm_password", status=422)
    check_password(password)
    async with uows() as uow:
        now = uow.clock.now()
        row = (await uow.session.execute(select(t.password_resets).where(
            t.password_resets.c.token_hash == token_hash(token)))).first()
        if row is None or row.used_at is not None or row.expires_at <= now:
            raise NotFoundError("ID-RESET-INVALID", "This reset link is not valid, was used or "
                                "has expired.", fix="Ask for a new link.")
        await uow.session.execute(update(t.password_resets).where(
            t.password_resets.c.token_hash == row.token_hash).values(used_at=now))
        await uow.session.execute(update(t.profiles).where(t.profiles.c.id == row.profile_id)
                                  .values(password_hash=hash_secret(password),
                                          failed_sign_ins=0, locked_until=None))
        await audit.record(uow, row.profile_id, "password.changed", "by reset link")
        await uow.commit()


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str


async def start_totp(uows: UnitOfWorkFactory, sealer: SecretSealer, profile_id: str,
                     username: str) -> TotpSetup:
    """A new secret, not yet in force until a code from it is confirmed."""
    secret = totp.new_secret()
    async with uows() as uow:
        await uow.session.execute(update(t.profiles).where(
            t.profiles.c.id == profile_id, t.profiles.c.totp_enabled.is_(False)).values(
            totp_secret=sealer.seal(secret)))
        await uow.commit()
    return TotpSetup(secret, totp.provisioning_uri(secret, username))


async def set_totp(uows: UnitOfWorkFactory, sealer: SecretSealer, profile_id: str, code: str,
                   enabled: bool) -> None:
    """Turn the second factor on (confirming the setup) or off; both need a current code."""
    async with uows() as uow:
        row = (await uow.session.execute(select(t.profiles).where(
            t.profiles.c.id == profile_id))).one()
        if row.totp_secret is None or bool(row.totp_enabled) == enabled:
            raise DomainError("ID-TOTP-STATE", "The second factor is already "
                              + ("on." if row.totp_enabled else "off."), status=409,
                              fix="Start the setup first." if enabled else None)
        if not totp.verify(sealer.open(row.totp_secret), code, uow.clock.now()):
            raise UnauthorizedError("ID-TOTP-WRONG", "The code is not right.", field="code",
                                    fix="Enter the current 6-digit code of your app.")
        await uow.session.execute(update(t.profiles).where(t.profiles.c.id == profile_id)
                                  .values(totp_enabled=enabled,
                                          totp_secret=row.totp_secret if enabled else None))
        await audit.record(uow, profile_id, "totp.enabled" if enabled else "totp.disabled")
        await uow.commit()
