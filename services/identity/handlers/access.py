"""Who may act for which account: adding accounts, the active account, sub-users, invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import select, update

from services.identity.adapters import tables as t
from services.identity.domain.onetime import new_token, token_hash
from services.identity.domain.registration import is_email
from services.identity.domain.rights import OWNER, SUBUSER, normalise, parse
from services.identity.handlers import audit
from services.identity.handlers.profiles import (
    NewProfile,
    create_profile,
    link_account,
    unlink_account,
)
from services.identity.handlers.secrets import AttemptLimit, verify_pair
from shared.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from shared.events.identity import ActiveAccountChangedV1, SubUserInvitedV1
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger()


async def link_of(uow: UnitOfWork, profile_id: str, account: str) -> Any:
    return (await uow.session.execute(select(t.profile_accounts).where(
        t.profile_accounts.c.profile_id == profile_id,
        t.profile_accounts.c.account_number == account))).first()


async def must_own(uow: UnitOfWork, profile_id: str, account: str) -> None:
    """Only the account's owner manages its sub-users; others learn nothing about it."""
    link = await link_of(uow, profile_id, account)
    if link is None:
        raise NotFoundError("ID-ACCOUNT-NOT-LINKED", f"This web profile does not act for "
                            f"account {account}.")
    if link.relation != OWNER:
        raise ForbiddenError("ID-OWNER-ONLY", "Only the account owner manages its users.")


async def add_account(uows: UnitOfWorkFactory, profile_id: str, account: str, secret: str,
                      limit: AttemptLimit, client: str | None = None) -> None:
    """A profile adds another account it holds (seed: all accounts under one profile)."""
    await verify_pair(uows, account, secret, limit, profile_id=profile_id, client=client)
    async with uows() as uow:
        await link_account(uow, profile_id, account, OWNER)
        await uow.commit()


async def choose_account(uows: UnitOfWorkFactory, profile_id: str, account: str) -> None:
    async with uows() as uow:
        if await link_of(uow, profile_id, account) is None:
            raise NotFoundError("ID-ACCOUNT-NOT-LINKED", f"This web profile does not act for "
                                f"account {account}.", field="account_number")
        await uow.session.execute(update(t.profiles).where(t.profiles.c.id == profile_id)
                                  .values(active_account=account))
        await uow.emit(ActiveAccountChangedV1(profile_id=profile_id, account_number=account),
                       subject=profile_id)
        await uow.commit()


@dataclass(frozen=True)
class Invitation:
    account: str
    email: str
    rights: list[str]
    language: str = "en"


async def invite(uows: UnitOfWorkFactory, owner: str, new: Invitation, base_url: str,
                 ttl: timedelta) -> str:
    """Record the invitation; its one-time link travels only in the event notifications mails."""
    if not is_email(new.email):
        raise DomainError("ID-EMAIL-INVALID", "Enter an e-mail address like name@example.ca.",
                          field="email", status=422)
    rights = normalise(new.rights)
    token = new_token()
    async with uows() as uow:
        await must_own(uow, owner, new.account)
        invitation_id = str(uow.ids.new())
        expires = uow.clock.now() + ttl
        await uow.session.execute(t.invitations.insert().values(
            id=invitation_id, token_hash=token_hash(token), account_number=new.account,
            invited_by=owner, email=new.email, rights=",".join(rights), expires_at=expires))
        await uow.emit(SubUserInvitedV1(
            invitation_id=invitation_id, account_number=new.account, invited_by=owner,
            email=new.email, language=new.language, rights=rights,
            invite_url=f"{base_url.rstrip('/')}/identity/invitations/{token}",
            expires_at=expires), subject=owner)
        await audit.record(uow, owner, "subuser.invited", f"{new.account} {new.email}")
        await uow.commit()
    return invitation_id


async def accept(uows: UnitOfWorkFactory, token: str, profile_id: str | None,
                 new: NewProfile | None) -> str:
    """The invitee accepts as a signed-in profile, or creates a profile on the way."""
    async with uows() as uow:
        row = (await uow.session.execute(select(t.invitations).where(
            t.invitations.c.token_hash == token_hash(token)))).first()
        if row is None or row.accepted_at is not None or row.expires_at <= uow.clock.now():
            raise NotFoundError("ID-INVITATION-INVALID", "This invitation link is not valid, "
                                "was used or has expired.", fix="Ask the account owner for a "
                                "new invitation.")
        if profile_id is None:
            if new is None:
                raise DomainError("ID-INVITATION-PROFILE", "Sign in, or give a user name and "
                                  "password for a new web profile.", status=422)
            profile_id = await create_profile(uow, new)
        if await link_of(uow, profile_id, row.account_number) is not None:
            raise ConflictError("ID-ALREADY-LINKED", "This web profile already acts for the "
                                "account.")
        await link_account(uow, profile_id, row.account_number, SUBUSER, parse(row.rights))
        await uow.session.execute(update(t.invitations).where(t.invitations.c.id == row.id)
                                  .values(accepted_by=profile_id, accepted_at=uow.clock.now()))
        await uow.commit()
    return profile_id


async def set_rights(uows: UnitOfWorkFactory, owner: str, account: str, user: str,
                     rights: list[str]) -> list[str]:
    kept = normalise(rights)
    async with uows() as uow:
        await must_own(uow, owner, account)
        link = await link_of(uow, user, account)
        if link is None or link.relation != SUBUSER:
            raise NotFoundError("ID-SUBUSER-NOT-FOUND", "No such sub-user on this account.")
        await link_account(uow, user, account, SUBUSER, kept)
        await audit.record(uow, owner, "subuser.rights_changed", f"{account} {user}")
        await uow.commit()
    return kept


async def remove(uows: UnitOfWorkFactory, owner: str, account: str, user: str) -> None:
    async with uows() as uow:
        await must_own(uow, owner, account)
        link = await link_of(uow, user, account)
        if link is None or link.relation != SUBUSER:
            raise NotFoundError("ID-SUBUSER-NOT-FOUND", "No such sub-user on this account.")
        await unlink_account(uow, user, account)
        await audit.record(uow, owner, "subuser.removed", f"{account} {user}")
        await uow.commit()
