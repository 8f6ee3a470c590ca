"""The ``notifications.readmodel`` consumer group: what the mail and the reminders need to know
of other services, kept from their events (upserts: a redelivery changes nothing)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.notifications.adapters import tables as t
from shared.db.upsert import upsert
from shared.events import licensing as le
from shared.events import sitedata as se
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork


async def on_account_created(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.AccountCreatedV1)
    await upsert(uow.session, t.rm_accounts, {
        "account_number": payload.account_number, "legal_name": payload.legal_name,
        "email": payload.email, "language": payload.language, "city": payload.city,
        "province": payload.province, "contacts": list(payload.contacts),
        "payment_email": payload.payment_email, "licence_delivery": payload.licence_delivery,
        "invoice_delivery": payload.invoice_delivery}, ("account_number",))
    if payload.registration_id:
        await upsert(uow.session, t.rm_registrations, {
            "registration_id": payload.registration_id,
            "account_number": payload.account_number}, ("registration_id",))


async def on_contacts_changed(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.AccountContactsChangedV1)
    await uow.session.execute(update(t.rm_accounts).where(
        t.rm_accounts.c.account_number == payload.account_number).values(
        email=payload.email, language=payload.language, contacts=list(payload.contacts),
        payment_email=payload.payment_email, licence_delivery=payload.licence_delivery,
        invoice_delivery=payload.invoice_delivery))


async def on_licence_granted(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.LicenceGrantedV1)
    await upsert(uow.session, t.rm_licences, {
        "licence_number": payload.licence_number, "account_number": payload.account_number,
        "kind": payload.kind, "status": payload.status, "issued_on": payload.issued_on,
        "expires_on": payload.expires_on, "site_data_required": payload.site_data_required,
        "site_data_from": payload.site_data_from}, ("licence_number",))


async def on_licence_status(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.LicenceStatusChangedV1)
    await uow.session.execute(update(t.rm_licences).where(
        t.rm_licences.c.licence_number == payload.licence_number).values(status=payload.status))


async def record_filing(uow: UnitOfWork, licence_number: str, day: date) -> None:
    """The licence's last upload date only ever moves forward (uploads may arrive out of
    order across partitions)."""
    table = t.rm_filings
    builder = pg_insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await uow.session.execute(builder(table).values(
        licence_number=licence_number, last_upload=day).on_conflict_do_nothing(
        index_elements=["licence_number"]))
    await uow.session.execute(update(table).where(
        table.c.licence_number == licence_number, table.c.last_upload < day).values(
        last_upload=day))


async def on_upload_processed(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    """A processed upload files site data for every licence it names, on the day received
    (the status report's "last upload date")."""
    assert isinstance(payload, se.UploadProcessedV1)
    if payload.status != "Processed":
        return
    for licence_number in sorted(payload.licences):
        await record_filing(uow, licence_number, payload.received_at.date())


async def on_site_contact(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, se.SiteContactChangedV1)
    await upsert(uow.session, t.rm_site_contacts, {
        "account_number": payload.account_number, "contact_name": payload.contact_name,
        "email": payload.email}, ("account_number",))


READ_MODEL: dict[str, EventHandler] = {
    le.AccountCreatedV1.TYPE: on_account_created,
    le.AccountContactsChangedV1.TYPE: on_contacts_changed,
    le.LicenceGrantedV1.TYPE: on_licence_granted,
    le.LicenceStatusChangedV1.TYPE: on_licence_status,
    se.UploadProcessedV1.TYPE: on_upload_processed,
    se.SiteContactChangedV1.TYPE: on_site_contact,
}
