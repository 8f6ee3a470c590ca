"""ISED staff profiles and their roles (administrators manage them)."""

from __future__ import annotations

from sqlalchemy import update

from services.identity.adapters import tables as t
from services.identity.handlers import audit
from services.identity.handlers.profiles import NewProfile, create_profile
from shared.auth import STAFF_ROLES, Principal
from shared.errors import DomainError, ForbiddenError, NotFoundError
from shared.messaging.uow import UnitOfWorkFactory

ADMIN = "admin"


def must_admin(principal: Principal) -> None:
    if ADMIN not in principal.roles:
        raise ForbiddenError("ID-ADMIN-ONLY", "Only an administrator manages staff roles.")


def check_roles(roles: list[str]) -> tuple[str, ...]:
    unknown = set(roles) - STAFF_ROLES
    if unknown or not roles:
        raise DomainError("ID-ROLES-INVALID", "Give one or more staff roles: "
                          + ", ".join(sorted(STAFF_ROLES)) + ".", field="roles", status=422)
    return tuple(sorted(set(roles)))


async def create_staff(uows: UnitOfWorkFactory, admin: Principal, new: NewProfile) -> str:
    must_admin(admin)
    roles = check_roles(list(new.roles))
    async with uows() as uow:
        profile_id = await create_profile(uow, NewProfile(
            new.username, new.password, new.email, new.language, roles, new.name, new.phone))
        await audit.record(uow, profile_id, "staff.created", f"by {admin.profile_id}")
        await uow.commit()
    return profile_id


async def set_roles(uows: UnitOfWorkFactory, admin: Principal, profile_id: str,
                    roles: list[str]) -> tuple[str, ...]:
    must_admin(admin)
    kept = check_roles(roles)
    async with uows() as uow:
        done = await uow.session.execute(update(t.profiles).where(
            t.profiles.c.id == profile_id, t.profiles.c.roles != "").values(roles=",".join(kept)))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise NotFoundError("ID-STAFF-NOT-FOUND", "No such staff profile.")
        await audit.record(uow, profile_id, "staff.roles_changed",
                           f"{','.join(kept)} by {admin.profile_id}")
        await uow.commit()
    return kept
