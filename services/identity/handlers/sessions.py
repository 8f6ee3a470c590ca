"""Ending a web profile's sessions: signing out, changing the password, disabling the profile.

Each moves the profile's session generation on (``shared/sessions.py``): every token issued
before is refused from then on, by identity at once and by the other services as soon as the
``identity.profile.sessions_revoked`` event reaches them. Each is in the audit trail.
"""

from __future__ import annotations

from sqlalchemy import select, update

from services.identity.adapters import tables as t
from services.identity.handlers import audit
from services.identity.handlers.profiles import check_password, current_generation
from shared.auth import Principal
from shared.errors import DomainError, NotFoundError, UnauthorizedError
from shared.events.identity import ProfileSessionsRevokedV1
from shared.hashing import hash_off_loop, verify_off_loop
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.sessions import SessionRevocations, record


async def end_sessions(uow: UnitOfWork, revocations: SessionRevocations | None,
                       profile_id: str, reason: str) -> int:
    """Move the generation on in the caller's transaction; noted in memory once committed."""
    generation = await current_generation(uow, profile_id) + 1
    await record(uow, t.session_revocations, profile_id, generation)
    await uow.emit(ProfileSessionsRevokedV1(profile_id=profile_id, generation=generation,
                                            reason=reason), subject=profile_id)
    await audit.record(uow, profile_id, "sessions.ended", reason)
    if revocations is not None:
        uow.after_commit(lambda: revocations.note(profile_id, generation))
    return generation


async def sign_out(uows: UnitOfWorkFactory, revocations: SessionRevocations | None,
                   principal: Principal) -> None:
    """Sign out: every token and session of the profile ends, on every device."""
    async with uows() as uow:
        if await current_generation(uow, principal.profile_id) > principal.generation:
            return  # already ended (a second click, another tab)
        await end_sessions(uow, revocations, principal.profile_id, "signed out")
        await uow.commit()


async def change_password(uows: UnitOfWorkFactory, revocations: SessionRevocations | None,
                          principal: Principal, current: str, new: str, confirm: str) -> int:
    """A signed-in change: the current password, then the new one twice. Ends every session;
    returns the new generation (the caller gets a fresh token in it)."""
    if new != confirm:
        raise DomainError("ID-PASSWORD-MISMATCH", "The two passwords are not the same.",
                          field="confirm_password", status=422)
    check_password(new)
    async with uows.reading() as db:  # no connection is held while hashing
        current_hash = (await db.execute(select(t.profiles.c.password_hash).where(
            t.profiles.c.id == principal.profile_id))).scalar_one()
    if not await verify_off_loop(current_hash, current):
        async with uows() as uow:
            await audit.record(uow, principal.profile_id, "password.change_refused",
                               "wrong current password")
            await uow.commit()
        raise UnauthorizedError("ID-PASSWORD-WRONG", "The current password is not right.",
                                field="current_password", fix="Enter the password you "
                                "signed in with, or reset it by e-mail.")
    new_hash = await hash_off_loop(new)
    async with uows() as uow:
        await uow.session.execute(update(t.profiles).where(t.profiles.c.id == principal.profile_id)
                                  .values(password_hash=new_hash))
        await audit.record(uow, principal.profile_id, "password.changed", "signed in")
        generation = await end_sessions(uow, revocations, principal.profile_id,
                                        "password changed")
        await uow.commit()
    return generation


async def set_disabled(uow: UnitOfWork, revocations: SessionRevocations | None,
                       admin: Principal, profile_id: str, disabled: bool) -> None:
    """An administrator disables a profile (no sign-in, every session ended) or enables it."""
    if profile_id == admin.profile_id:
        raise DomainError("ID-DISABLE-SELF", "You cannot disable your own web profile.",
                          status=409, fix="Ask another administrator.")
    done = await uow.session.execute(update(t.profiles).where(t.profiles.c.id == profile_id)
                                     .values(disabled_at=uow.clock.now() if disabled else None))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFoundError("ID-PROFILE-NOT-FOUND", "No such web profile.")
    kind = "profile.disabled" if disabled else "profile.enabled"
    await audit.record(uow, profile_id, kind, f"by {admin.profile_id}")
    if disabled:
        await end_sessions(uow, revocations, profile_id, f"disabled by {admin.profile_id}")
