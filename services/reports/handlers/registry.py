"""Licences, accounts and who may see them, fed by licensing and identity events.

Every licence change closes the current history version and opens a new one (``valid_from`` =
the event's time), and adds an entry to the public change feed.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from services.reports.adapters import tables as t
from shared.db.upsert import upsert
from shared.events import identity as ie
from shared.events import licensing as le
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork

_HISTORY = ("licensee_name", "kind", "status", "service", "service_area", "issued_on",
            "expires_on")
PUBLIC_LICENCE = ("licence_number", "licensee_name", "kind", "status", "service",
                  "service_area", "issued_on", "expires_on")


async def on_account_created(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.AccountCreatedV1)
    await upsert(uow.session, t.accounts, {"account_number": payload.account_number,
                                           "legal_name": payload.legal_name}, ("account_number",))


async def on_account_linked(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, ie.AccountLinkedV1)
    await upsert(uow.session, t.access, {"profile_id": payload.profile_id,
                                         "account_number": payload.account_number},
                 ("profile_id", "account_number"))


async def on_account_unlinked(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, ie.AccountUnlinkedV1)
    await uow.session.execute(delete(t.access).where(
        t.access.c.profile_id == payload.profile_id,
        t.access.c.account_number == payload.account_number))


async def on_active_account(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, ie.ActiveAccountChangedV1)
    await upsert(uow.session, t.active_accounts, {"profile_id": payload.profile_id,
                                                  "account_number": payload.account_number},
                 ("profile_id",))


async def _current(uow: UnitOfWork, licence: str) -> Any:
    return (await uow.session.execute(select(t.licences).where(
        t.licences.c.licence_number == licence))).first()


async def _record_version(uow: UnitOfWork, values: dict[str, Any], at: datetime,
                          change: str) -> None:
    licence = values["licence_number"]
    h = t.licence_history
    await uow.session.execute(update(h).where(h.c.licence_number == licence,
                                              h.c.valid_to.is_(None)).values(valid_to=at))
    await uow.session.execute(insert(h).values(
        licence_number=licence, valid_from=at, valid_to=None,
        **{k: values[k] for k in _HISTORY}))
    public = {k: values[k] for k in PUBLIC_LICENCE}
    await uow.session.execute(insert(t.changes).values(
        kind="licence", licence_number=licence, change=change, at=at,
        data=json.dumps(public, default=str, sort_keys=True)))


async def on_licence_granted(uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
    assert isinstance(payload, le.LicenceGrantedV1)
    current = await _current(uow, payload.licence_number)
    if current is not None and current.changed_at > envelope.time:
        return  # an older statement redelivered after a newer one
    values = {
        "licence_number": payload.licence_number, "account_number": payload.account_number,
        "licensee_name": payload.licensee_name, "kind": payload.kind, "status": payload.status,
        "service": payload.service, "service_area": payload.service_area,
        "issued_on": payload.issued_on, "expires_on": payload.expires_on,
        "site_data_required": payload.site_data_required,
        "site_data_from": payload.site_data_from, "published_for_eoi": False,
        "status_changed_on": None, "changed_at": envelope.time}
    await upsert(uow.session, t.licences, values, ("licence_number",))
    await _record_version(uow, values, envelope.time, payload.change)


async def on_licence_status(uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
    assert isinstance(payload, le.LicenceStatusChangedV1)
    current = await _current(uow, payload.licence_number)
    if current is None or current.changed_at > envelope.time:
        return  # the grant comes first on the same topic and key; nothing to change
    changes = {"status": payload.status, "account_number": payload.account_number,
               "published_for_eoi": payload.published_for_eoi,
               "status_changed_on": payload.effective_on or envelope.time.date(),
               "changed_at": envelope.time}
    await uow.session.execute(update(t.licences).where(
        t.licences.c.licence_number == payload.licence_number).values(**changes))
    values = {**dict(current._mapping), **changes}
    await _record_version(uow, values, envelope.time, payload.status.lower())


HANDLERS: dict[str, EventHandler] = {
    le.AccountCreatedV1.TYPE: on_account_created,
    ie.AccountLinkedV1.TYPE: on_account_linked,
    ie.AccountUnlinkedV1.TYPE: on_account_unlinked,
    ie.ActiveAccountChangedV1.TYPE: on_active_account,
    le.LicenceGrantedV1.TYPE: on_licence_granted,
    le.LicenceStatusChangedV1.TYPE: on_licence_status,
}
