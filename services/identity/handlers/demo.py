"""Demo data: the web profiles a newcomer signs in with (README)."""

from __future__ import annotations

from sqlalchemy import select

from services.identity.adapters import tables as t
from services.identity.domain.usernames import username_key
from services.identity.handlers.profiles import NewProfile, create_profile, link_account
from shared.messaging.uow import UnitOfWorkFactory

DEMO_LICENSEE = NewProfile("demo.licensee", "Demo-Licensee-2026!", "licensee@example.ca")
DEMO_OFFICER = NewProfile("demo.officer", "Demo-Officer-2026!", "officer@ised.example.ca",
                          roles=("officer", "officer-spectrum", "officer-radio",
                                 "officer-broadcasting", "officer-equipment"))
DEMO_ADMIN = NewProfile("demo.admin", "Demo-Admin-2026!", "admin@ised.example.ca",
                        roles=("admin",))


async def _exists(uows: UnitOfWorkFactory, username: str) -> bool:
    async with uows() as uow:
        found = await uow.session.execute(select(t.profiles.c.id).where(
            t.profiles.c.username_key == username_key(username)))
        return found.first() is not None


async def seed(uows: UnitOfWorkFactory) -> None:
    if not await _exists(uows, DEMO_LICENSEE.username):
        async with uows() as uow:
            licensee = await create_profile(uow, DEMO_LICENSEE)
            await link_account(uow, licensee, "100000001", "owner")
            await create_profile(uow, DEMO_OFFICER)
            await uow.commit()
    if not await _exists(uows, DEMO_ADMIN.username):
        async with uows() as uow:
            await create_profile(uow, DEMO_ADMIN)
            await uow.commit()
