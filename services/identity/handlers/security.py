"""Password reset by e-mailed one-time link, and the optional TOTP second factor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import func, or_, select, update

from services.identity.adapters import tables as t
from services.identity.domain import totp
from services.identity.domain.onetime import new_token, token_hash
from services.identity.domain.usernames import username_key
from services.identity.handlers import audit
from services.identity.handlers.crypto import SecretSealer
from services.identity.handlers.profiles import check_password
from services.identity.handlers.sessions import end_sessions
from shared.errors import DomainError, NotFoundError, UnauthorizedError
from shared.events.identity import PasswordResetRequestedV1
from shared.hashing import hash_off_loop
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.sessions import SessionRevocations

log = structlog.get_logger()


MAX_LIVE_LINKS = 3  # per profile: past this, no more mail until one is used or expires


async def _live_links(uow: UnitOfWork, profile_id: str) -> int:
    return int((await uow.session.execute(select(func.count()).select_from(
        t.password_resets).where(t.password_resets.c.profile_id == profile_id,
                                 t.password_resets.c.used_at.is_(None),
                                 t.password_resets.c.expires_at > uow.clock.now()))).scalar_one())


async def request_reset(uows: UnitOfWorkFactory, who: str, base_url: str,
                        ttl: timedelta) -> None:
    """Mail a one-time link to the profile named (user name or e-mail). Says nothing about
    whether the profile exists, nor whether it already has ``MAX_LIVE_LINKS`` links in force
    (then no mail goes: one person cannot be sent a flood of them)."""
    async with uows() as uow:
        rows = (await uow.session.execute(select(t.profiles).where(or_(
            t.profiles.c.username_key == username_key(who),
            t.profiles.c.email == who.strip())))).all()
        for row in [r for r in rows if r.email][:5]:  # no address, nowhere to send a link
            if await _live_links(uow, row.id) >= MAX_LIVE_LINKS:
                log.info("identity.password_reset_held_back", profile_id=row.id)
                continue
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
                         confirm: str, revocations: SessionRevocations | None = None) -> None:
    """Set the new password and end every session of the profile (and its other links)."""
    if password != confirm:
        raise DomainError("ID-PASSWORD-MISMATCH", "The two passwords are not the same.",
                          field="confirm_password", status=422)
    check_password(password)
    async with uows.reading() as db:
        row = (await db.execute(select(t.password_resets).where(
            t.password_resets.c.token_hash == token_hash(token)))).first()
    if row is None or row.used_at is not None or row.expires_at <= uows.clock.now():
        raise _reset_invalid()
    password_hash = await hash_off_loop(password)  # only for a valid link, no connection held
    async with uows() as uow:
        now = uow.clock.now()
        used = await uow.session.execute(update(t.password_resets).where(
            t.password_resets.c.token_hash == row.token_hash,
            t.password_resets.c.used_at.is_(None)).values(used_at=now))
        if used.rowcount != 1:  # type: ignore[attr-defined]
            raise _reset_invalid()  # used meanwhile
        await uow.session.execute(update(t.password_resets).where(  # its other links too
            t.password_resets.c.profile_id == row.profile_id,
            t.password_resets.c.used_at.is_(None)).values(used_at=now))
        await uow.session.execute(update(t.profiles).where(t.profiles.c.id == row.profile_id)
                                  .values(password_hash=password_hash,
                                          failed_sign_ins=0, locked_until=None))
        await audit.record(uow, row.profile_id, "password.changed", "by reset link")
        await end_sessions(uow, revocations, row.profile_id, "password reset")
        await uow.commit()


def _reset_invalid() -> NotFoundError:
    return NotFoundError("ID-RESET-INVALID", "This reset link is not valid, was used or has "
                         "expired.", fix="Ask for a new link.")


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
