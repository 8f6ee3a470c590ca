"""Sitedata's own copy of what it needs from identity and licensing, fed by their events."""

from __future__ import annotations

from sqlalchemy import delete, update

from services.sitedata.adapters import tables as t
from shared.db.upsert import upsert
from shared.events import identity as ie
from shared.events import licensing as le
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork


async def on_account_linked(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, ie.AccountLinkedV1)
    await upsert(uow.session, t.rm_access, {
        "profile_id": payload.profile_id, "account_number": payload.account_number,
        "rights": ",".join(sorted(payload.rights))}, ("profile_id", "account_number"))


async def on_account_unlinked(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, ie.AccountUnlinkedV1)
    await uow.session.execute(delete(t.rm_access).where(
        t.rm_access.c.profile_id == payload.profile_id,
        t.rm_access.c.account_number == payload.account_number))


async def on_active_account(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, ie.ActiveAccountChangedV1)
    await upsert(uow.session, t.rm_active_accounts, {
        "profile_id": payload.profile_id, "account_number": payload.account_number},
        ("profile_id",))


async def on_licence_granted(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.LicenceGrantedV1)
    await upsert(uow.session, t.rm_licences, {
        "licence_number": payload.licence_number, "account_number": payload.account_number,
        "kind": payload.kind, "status": payload.status, "expires_on": payload.expires_on},
        ("licence_number",))


async def on_licence_status(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.LicenceStatusChangedV1)
    await uow.session.execute(update(t.rm_licences).where(
        t.rm_licences.c.licence_number == payload.licence_number).values(
        status=payload.status, account_number=payload.account_number))


async def on_profile_created(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, ie.ProfileCreatedV1)
    await upsert(uow.session, t.rm_profiles, {
        "profile_id": payload.profile_id, "username": payload.username}, ("profile_id",))


async def on_account_created(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.AccountCreatedV1)
    await upsert(uow.session, t.rm_accounts, {
        "account_number": payload.account_number, "email": payload.email,
        "language": payload.language}, ("account_number",))


HANDLERS: dict[str, EventHandler] = {
    ie.ProfileCreatedV1.TYPE: on_profile_created,
    ie.AccountLinkedV1.TYPE: on_account_linked,
    ie.AccountUnlinkedV1.TYPE: on_account_unlinked,
    ie.ActiveAccountChangedV1.TYPE: on_active_account,
    le.LicenceGrantedV1.TYPE: on_licence_granted,
    le.LicenceStatusChangedV1.TYPE: on_licence_status,
    le.AccountCreatedV1.TYPE: on_account_created,
}
