"""ISED staff profiles and their roles (administrators manage them).

An administrator's right is read from the database on each of these actions, not only from
the token: a demoted administrator is refused at once, whatever token it still holds. A role
change and disabling a profile end every session of that profile (``sessions.py``).
"""

from __future__ import annotations

from sqlalchemy import select, update

from services.identity.adapters import tables as t
from services.identity.handlers import audit
from services.identity.handlers.profiles import NewProfile, create_profile, hashed
from services.identity.handlers.sessions import end_sessions, set_disabled
from shared.auth import STAFF_ROLES, Principal
from shared.errors import DomainError, ForbiddenError, NotFoundError
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.sessions import SessionRevocations

ADMIN = "admin"


def _not_admin() -> ForbiddenError:
    return ForbiddenError("ID-ADMIN-ONLY", "Only an administrator manages staff roles.")


def must_admin(principal: Principal) -> None:
    if ADMIN not in principal.roles:
        raise _not_admin()


async def must_admin_now(uow: UnitOfWork, principal: Principal) -> None:
    """The token says admin, and so does the profile as it stands (not disabled)."""
    must_admin(principal)
    row = (await uow.session.execute(select(t.profiles.c.roles, t.profiles.c.disabled_at).where(
        t.profiles.c.id == principal.profile_id))).first()
    if row is None or row.disabled_at is not None or ADMIN not in row.roles.split(","):
        raise _not_admin()


def check_roles(roles: list[str], *, allow_none: bool = False) -> tuple[str, ...]:
    unknown = set(roles) - STAFF_ROLES
    if unknown or not (roles or allow_none):
        raise DomainError("ID-ROLES-INVALID", "Give one or more staff roles: "
                          + ", ".join(sorted(STAFF_ROLES)) + ".", field="roles", status=422)
    return tuple(sorted(set(roles)))


async def create_staff(uows: UnitOfWorkFactory, admin: Principal, new: NewProfile) -> str:
    must_admin(admin)
    roles = check_roles(list(new.roles))
    ready = await hashed(NewProfile(new.username, new.password, new.email, new.language,
                                    roles, new.name, new.phone))
    async with uows() as uow:
        await must_admin_now(uow, admin)
        profile_id = await create_profile(uow, ready)
        await audit.record(uow, profile_id, "staff.created", f"by {admin.profile_id}")
        await uow.commit()
    return profile_id


async def set_roles(uows: UnitOfWorkFactory, admin: Principal, profile_id: str,
                    roles: list[str], revocations: SessionRevocations | None = None
                    ) -> tuple[str, ...]:
    """New roles for a staff profile (none: no longer staff); its sessions end, so the new
    roles hold from its next sign-in."""
    must_admin(admin)
    kept = check_roles(roles, allow_none=True)
    async with uows() as uow:
        await must_admin_now(uow, admin)
        done = await uow.session.execute(update(t.profiles).where(
            t.profiles.c.id == profile_id, t.profiles.c.roles != "").values(roles=",".join(kept)))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise NotFoundError("ID-STAFF-NOT-FOUND", "No such staff profile.")
        await audit.record(uow, profile_id, "staff.roles_changed",
                           f"{','.join(kept) or 'none'} by {admin.profile_id}")
        await end_sessions(uow, revocations, profile_id, "roles changed")
        await uow.commit()
    return kept


async def disable(uows: UnitOfWorkFactory, admin: Principal, profile_id: str, disabled: bool,
                  revocations: SessionRevocations | None = None) -> None:
    must_admin(admin)
    async with uows() as uow:
        await must_admin_now(uow, admin)
        await set_disabled(uow, revocations, admin, profile_id, disabled)
        await uow.commit()
