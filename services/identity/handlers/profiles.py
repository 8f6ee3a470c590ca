"""Creating web profiles, linking accounts and signing in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import insert, select, update

from services.identity.adapters import tables as t
from services.identity.domain import totp
from services.identity.domain.passwords import password_problems
from services.identity.domain.rights import ALL_RIGHTS, normalise
from services.identity.domain.usernames import username_key
from services.identity.handlers import audit
from services.identity.handlers.crypto import SecretSealer
from shared.auth import Principal, issue_token
from shared.db.upsert import upsert
from shared.errors import ConflictError, DomainError, UnauthorizedError
from shared.events.identity import (
    AccountLinkedV1,
    AccountUnlinkedV1,
    ActiveAccountChangedV1,
    ProfileCreatedV1,
)
from shared.hashing import DUMMY_HASH, hash_off_loop, verify_off_loop
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger()
__all__ = ["ALL_RIGHTS", "NewProfile", "create_profile", "link_account", "sign_in"]


@dataclass(frozen=True)
class NewProfile:
    username: str
    password: str
    email: str
    language: str = "en"
    roles: tuple[str, ...] = ()
    name: str = ""
    phone: str = ""
    password_hash: str | None = None  # hashed before the transaction (``hashed``)


async def hashed(new: NewProfile) -> NewProfile:
    """The profile with its password checked and hashed, so no transaction waits on it."""
    check_password(new.password)
    return replace(new, password_hash=await hash_off_loop(new.password))


def check_password(password: str) -> None:
    problems = password_problems(password)
    if problems:
        raise DomainError("ID-PASSWORD-WEAK", "The password is not strong enough: "
                          + " ".join(problems), field="password", fix=" ".join(problems),
                          status=422)


async def username_taken(uows: UnitOfWorkFactory, username: str) -> bool:
    """Whether a profile has this name, whatever the case of its letters."""
    async with uows() as uow:
        found = await uow.session.execute(select(t.profiles.c.id).where(
            t.profiles.c.username_key == username_key(username)))
        return found.first() is not None


async def create_profile(uow: UnitOfWork, new: NewProfile) -> str:
    """Create a web profile in the caller's unit of work; returns its id."""
    check_password(new.password)
    username = new.username.strip()
    taken = await uow.session.execute(select(t.profiles.c.id).where(
        t.profiles.c.username_key == username_key(username)))
    if taken.first() is not None:
        raise ConflictError("ID-USERNAME-TAKEN", f"The user name '{username}' is taken.",
                            field="username", fix="Choose another user name (user names "
                            "are the same whatever the case of their letters).")
    profile_id = str(uow.ids.new())
    password_hash = new.password_hash or await hash_off_loop(new.password)
    await uow.session.execute(insert(t.profiles).values(
        id=profile_id, username=username, username_key=username_key(username),
        password_hash=password_hash,
        email=new.email, language=new.language, roles=",".join(new.roles), name=new.name,
        phone=new.phone, failed_sign_ins=0, totp_enabled=False, created_at=uow.clock.now()))
    await uow.emit(ProfileCreatedV1(profile_id=profile_id, username=username,
                                    email=new.email, language=new.language,
                                    roles=list(new.roles)), subject=profile_id)
    await audit.record(uow, profile_id, "profile.created")
    return profile_id


async def link_account(uow: UnitOfWork, profile_id: str, account: str, relation: str,
                       rights: tuple[str, ...] | list[str] = ALL_RIGHTS) -> None:
    """Link (or re-link with new rights) and tell every service: consumers upsert."""
    kept = normalise(rights)
    await upsert(uow.session, t.profile_accounts, {
        "profile_id": profile_id, "account_number": account, "relation": relation,
        "rights": ",".join(kept)}, ("profile_id", "account_number"))
    await uow.emit(AccountLinkedV1(profile_id=profile_id, account_number=account,
                                   relation=relation, rights=kept), subject=profile_id)
    await audit.record(uow, profile_id, "account.linked", f"{account} {relation} "
                       + ",".join(kept))


async def unlink_account(uow: UnitOfWork, profile_id: str, account: str) -> None:
    await uow.session.execute(t.profile_accounts.delete().where(
        t.profile_accounts.c.profile_id == profile_id,
        t.profile_accounts.c.account_number == account))
    cleared = await uow.session.execute(update(t.profiles).where(
        t.profiles.c.id == profile_id, t.profiles.c.active_account == account).values(
        active_account=None))
    await uow.emit(AccountUnlinkedV1(profile_id=profile_id, account_number=account),
                   subject=profile_id)
    if getattr(cleared, "rowcount", 0):
        await uow.emit(ActiveAccountChangedV1(profile_id=profile_id, account_number=None),
                       subject=profile_id)
    await audit.record(uow, profile_id, "account.unlinked", account)


async def current_generation(uow: UnitOfWork, profile_id: str) -> int:
    """The profile's session generation: tokens of an older one are refused."""
    found = (await uow.session.execute(select(t.session_revocations.c.generation).where(
        t.session_revocations.c.profile_id == profile_id))).scalar_one_or_none()
    return int(found or 0)


def _refused() -> UnauthorizedError:
    return UnauthorizedError("ID-SIGN-IN-FAILED", "The user name or password is not right.",
                             fix="Check both and try again; after 5 failures the profile is "
                                 "locked for 15 minutes.")


async def sign_in(uows: UnitOfWorkFactory, username: str, password: str, *, secret: str,
                  ttl_s: int, max_failures: int, lockout: timedelta,
                  code: str | None = None, sealer: SecretSealer | None = None) -> str:
    """Check the password (and the second factor when on), with lock-out; issue a token.

    The password is checked with no database connection held: a hash may wait its turn in
    the pool (``shared/hashing.py``) while the connections serve the reads."""
    async with uows.reading() as db:
        row = (await db.execute(select(t.profiles).where(
            t.profiles.c.username_key == username_key(username)))).first()
    now = uows.clock.now()
    if row is None:
        await verify_off_loop(DUMMY_HASH, password)  # the same work as for a real one
        raise _refused()
    if row.locked_until is not None and row.locked_until > now:
        raise UnauthorizedError("ID-LOCKED", "This web profile is locked after repeated "
                                "failed sign-ins.", fix="Wait 15 minutes or reset the "
                                "password by e-mail.")
    second_ok = _second_factor_ok(row, code, now, sealer)
    password_ok = await verify_off_loop(row.password_hash, password)
    async with uows() as uow:
        if not password_ok or second_ok is False:
            await _failed(uow, row.id, max_failures, lockout,
                          "second factor" if password_ok else "password")
            await uow.commit()
            raise _refused()
        if second_ok is None:
            raise UnauthorizedError("ID-TOTP-REQUIRED", "This web profile uses a second factor.",
                                    field="totp", fix="Send the 6-digit code of your "
                                    "authenticator app in the field 'totp'.")
        generation = await _signed_in(uow, row)
    principal = Principal(row.id, row.username, frozenset(r for r in row.roles.split(",") if r),
                          row.language, generation)
    return issue_token(principal, secret=secret, now=now, ttl_s=ttl_s)


async def _signed_in(uow: UnitOfWork, row: Any) -> int:
    """Record the sign-in (commits); the generation to issue the token in. A disabled
    profile is refused here, only to someone who knew its password."""
    if row.disabled_at is not None:
        await audit.record(uow, row.id, "sign_in.refused", "profile disabled")
        await uow.commit()
        raise UnauthorizedError("ID-PROFILE-DISABLED", "This web profile has been disabled.",
                                fix="Contact ISED if you think this is a mistake.")
    await uow.session.execute(update(t.profiles).where(t.profiles.c.id == row.id)
                              .values(failed_sign_ins=0, locked_until=None))
    await audit.record(uow, row.id, "sign_in")
    generation = await current_generation(uow, row.id)
    await uow.commit()
    return generation


def _second_factor_ok(row: Any, code: str | None, now: datetime,
                      sealer: SecretSealer | None) -> bool | None:
    """True when not needed or right, False when wrong, None when needed and missing."""
    if not row.totp_enabled or sealer is None:
        return True
    if not code:
        return None
    return totp.verify(sealer.open(row.totp_secret), code, now)


async def _failed(uow: UnitOfWork, profile_id: str, max_failures: int, lockout: timedelta,
                  what: str) -> None:
    """Count the failure in the database (atomically: concurrent failures all count)."""
    profiles = t.profiles.c
    failures = int((await uow.session.execute(update(t.profiles).where(
        profiles.id == profile_id).values(failed_sign_ins=profiles.failed_sign_ins + 1)
        .returning(profiles.failed_sign_ins))).scalar_one())
    locked = uow.clock.now() + lockout if failures >= max_failures else None
    if locked is not None:
        await uow.session.execute(update(t.profiles).where(profiles.id == profile_id)
                                  .values(locked_until=locked))
    await audit.record(uow, profile_id, "sign_in.failed", f"wrong {what}, failure {failures}")
    if locked is not None:
        await audit.record(uow, profile_id, "locked_out", f"until {locked.isoformat()}")
    log.info("identity.sign_in_failed", profile_id=profile_id, failures=failures)
