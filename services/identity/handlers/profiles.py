"""Creating web profiles, linking accounts and signing in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import insert, select, update

from services.identity.adapters import tables as t
from services.identity.domain.passwords import password_problems
from shared.auth import Principal, issue_token
from shared.errors import ConflictError, DomainError, UnauthorizedError
from shared.events.identity import AccountLinkedV1, ProfileCreatedV1
from shared.hashing import hash_secret, verify_secret
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger()
ALL_RIGHTS = ("prepare", "submit", "upload", "view")


@dataclass(frozen=True)
class NewProfile:
    username: str
    password: str
    email: str
    language: str = "en"
    roles: tuple[str, ...] = ()


async def create_profile(uow: UnitOfWork, new: NewProfile) -> str:
    """Create a web profile in the caller's unit of work; returns its id."""
    problems = password_problems(new.password)
    if problems:
        raise DomainError("ID-PASSWORD-WEAK", "The password is not strong enough: "
                          + " ".join(problems), field="password", fix=" ".join(problems))
    taken = await uow.session.execute(select(t.profiles.c.id).where(
        t.profiles.c.username == new.username))
    if taken.first() is not None:
        raise ConflictError("ID-USERNAME-TAKEN", f"The user name '{new.username}' is taken.",
                            field="username", fix="Choose another user name.")
    profile_id = str(uow.ids.new())
    await uow.session.execute(insert(t.profiles).values(
        id=profile_id, username=new.username, password_hash=hash_secret(new.password),
        email=new.email, language=new.language, roles=",".join(new.roles),
        failed_sign_ins=0, created_at=uow.clock.now()))
    await uow.emit(ProfileCreatedV1(profile_id=profile_id, username=new.username,
                                    email=new.email, language=new.language,
                                    roles=list(new.roles)), subject=profile_id)
    return profile_id


async def link_account(uow: UnitOfWork, profile_id: str, account: str, relation: str,
                       rights: tuple[str, ...] = ALL_RIGHTS) -> None:
    await uow.session.execute(insert(t.profile_accounts).values(
        profile_id=profile_id, account_number=account, relation=relation,
        rights=",".join(sorted(rights))))
    await uow.emit(AccountLinkedV1(profile_id=profile_id, account_number=account,
                                   relation=relation, rights=sorted(rights)), subject=profile_id)


def _refused() -> UnauthorizedError:
    return UnauthorizedError("ID-SIGN-IN-FAILED", "The user name or password is not right.",
                             fix="Check both and try again; after 5 failures the profile is "
                                 "locked for 15 minutes.")


async def sign_in(uows: UnitOfWorkFactory, username: str, password: str, *, secret: str,
                  ttl_s: int, max_failures: int, lockout: timedelta) -> str:
    """Check the password (with lock-out after repeated failures) and issue a token."""
    async with uows() as uow:
        row = (await uow.session.execute(select(t.profiles).where(
            t.profiles.c.username == username))).first()
        now = uow.clock.now()
        if row is None:
            raise _refused()
        if row.locked_until is not None and row.locked_until > now:
            raise UnauthorizedError("ID-LOCKED", "This web profile is locked after repeated "
                                    "failed sign-ins.", fix="Wait 15 minutes or reset the "
                                    "password by e-mail.")
        if not verify_secret(row.password_hash, password):
            failures = row.failed_sign_ins + 1
            locked = now + lockout if failures >= max_failures else None
            await uow.session.execute(update(t.profiles).where(t.profiles.c.id == row.id)
                                      .values(failed_sign_ins=failures, locked_until=locked))
            await uow.commit()
            log.info("identity.sign_in_failed", profile_id=row.id, failures=failures)
            raise _refused()
        await uow.session.execute(update(t.profiles).where(t.profiles.c.id == row.id)
                                  .values(failed_sign_ins=0, locked_until=None))
        await uow.commit()
    principal = Principal(row.id, row.username, frozenset(r for r in row.roles.split(",") if r),
                          row.language)
    return issue_token(principal, secret=secret, now=now, ttl_s=ttl_s)
