"""Identity's copy of the client accounts (name, city, secret hash), fed by licensing."""

from __future__ import annotations

from sqlalchemy import update

from services.identity.adapters import tables as t
from services.identity.handlers.review import on_account_created as link_on_account_created
from shared.db.upsert import upsert
from shared.events import licensing as le
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork


async def on_account_created(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.AccountCreatedV1)
    await upsert(uow.session, t.rm_accounts, {
        "account_number": payload.account_number, "legal_name": payload.legal_name,
        "email": payload.email, "city": payload.city, "province": payload.province,
        "client_kind": payload.client_kind, "secret_hash": payload.secret_hash},
        ("account_number",))


async def on_contacts_changed(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.AccountContactsChangedV1)
    await uow.session.execute(update(t.rm_accounts).where(
        t.rm_accounts.c.account_number == payload.account_number).values(email=payload.email))


async def on_secret_reissued(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.SecretReissuedV1)
    await uow.session.execute(update(t.rm_accounts).where(
        t.rm_accounts.c.account_number == payload.account_number).values(
        secret_hash=payload.secret_hash))


READ_MODEL: dict[str, EventHandler] = {
    le.AccountCreatedV1.TYPE: on_account_created,
    le.AccountContactsChangedV1.TYPE: on_contacts_changed,
    le.SecretReissuedV1.TYPE: on_secret_reissued,
}

# linking a profile to the account its approval asked for: its own group (needs no read model)
REGISTRATIONS: dict[str, EventHandler] = {le.AccountCreatedV1.TYPE: link_on_account_created}
