"""The registry's writes: accounts, licences and their changes, each with its event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox, secret_hash
from services.licensing.domain.commercial_mobile import is_commercial_mobile
from shared.errors import NotFoundError
from shared.events.licensing import AccountCreatedV1, LicenceGrantedV1, LicenceStatusChangedV1
from shared.messaging.uow import UnitOfWork

FIRST_LICENCE_NUMBER = 10900001
FIRST_ACCOUNT_NUMBER = 100000101


@dataclass(frozen=True)
class NewAccount:
    account_number: str
    legal_name: str
    email: str
    shared_secret: str
    language: str = "en"
    city: str = ""
    province: str = ""
    office: str = ""
    contacts: list[dict[str, str]] = field(default_factory=list)
    payment_email: str | None = None
    licence_delivery: str = "E-mail"
    invoice_delivery: str = "E-mail"
    small_business: bool = False
    client_kind: str = "licensee"


async def next_value(session: AsyncSession, name: str, first: int) -> int:
    """The next number of a named sequence (inside the caller's transaction). The increment
    is one atomic UPDATE ... RETURNING, so two transactions never get the same number."""
    bumped = (await session.execute(update(t.sequences).where(t.sequences.c.name == name)
                                    .values(value=t.sequences.c.value + 1)
                                    .returning(t.sequences.c.value))).scalar()
    if bumped is None:
        await session.execute(insert(t.sequences).values(name=name, value=first))
        return first
    return int(bumped)


async def create_account(uow: UnitOfWork, box: SecretBox, new: NewAccount, *,
                         registration_id: str | None = None,
                         profile_id: str | None = None) -> None:
    await uow.session.execute(insert(t.accounts).values(
        account_number=new.account_number, legal_name=new.legal_name, email=new.email,
        language=new.language, city=new.city, province=new.province, office=new.office,
        contacts=new.contacts, payment_email=new.payment_email,
        licence_delivery=new.licence_delivery, invoice_delivery=new.invoice_delivery,
        small_business=new.small_business, registration_id=registration_id,
        secret_encrypted=box.seal(new.shared_secret), created_at=uow.clock.now(),
        secret_issued_at=uow.clock.now()))
    await uow.emit(AccountCreatedV1(
        account_number=new.account_number, legal_name=new.legal_name, email=new.email,
        language=new.language, city=new.city, province=new.province,
        secret_hash=secret_hash(new.shared_secret), contacts=new.contacts,
        registration_id=registration_id, profile_id=profile_id, client_kind=new.client_kind,
        licence_delivery=new.licence_delivery, invoice_delivery=new.invoice_delivery,
        payment_email=new.payment_email, small_business=new.small_business),
        subject=new.account_number)


@dataclass(frozen=True)
class NewLicence:
    licence_number: str
    account_number: str
    kind: str
    status: str
    issued_on: date
    expires_on: date
    service: str = ""
    site_data_required: bool = False
    site_data_from: date | None = None
    service_area: str = ""
    frequency_blocks: list[str] = field(default_factory=list)
    commercial_mobile: bool = False  # ignored: derived from the blocks (5.6.4.1)
    primary_licence: str | None = None
    conditions: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


async def new_licence_number(session: AsyncSession) -> str:
    """Nine digits, leading zeros kept."""
    return f"{await next_value(session, 'licence', FIRST_LICENCE_NUMBER):09d}"


async def grant_licence(uow: UnitOfWork, new: NewLicence, licensee_name: str = "",
                        change: str = "granted") -> None:
    await uow.session.execute(insert(t.licences).values(
        licence_number=new.licence_number, account_number=new.account_number, kind=new.kind,
        status=new.status, service=new.service, issued_on=new.issued_on,
        expires_on=new.expires_on, site_data_required=new.site_data_required,
        site_data_from=new.site_data_from, service_area=new.service_area,
        frequency_blocks=new.frequency_blocks,
        commercial_mobile=new.kind == "spectrum" and is_commercial_mobile(new.frequency_blocks),
        primary_licence=new.primary_licence, conditions=new.conditions, details=new.details))
    await announce(uow, new.licence_number, change, licensee_name)


async def licence_row(session: AsyncSession, number: str) -> Any:
    row = (await session.execute(select(t.licences).where(
        t.licences.c.licence_number == number))).first()
    if row is None:
        raise NotFoundError("LIC-NOT-FOUND", f"There is no licence {number}.",
                            fix="Check the licence number (nine digits).")
    return row


async def legal_name(session: AsyncSession, account_number: str) -> str:
    name = (await session.execute(select(t.accounts.c.legal_name).where(
        t.accounts.c.account_number == account_number))).scalar()
    return str(name or "")


async def announce(uow: UnitOfWork, number: str, change: str, licensee_name: str = "") -> None:
    """Emit the licence re-stated whole (``change`` says what happened to it)."""
    row = await licence_row(uow.session, number)
    name = licensee_name or await legal_name(uow.session, row.account_number)
    await uow.emit(LicenceGrantedV1(
        licence_number=row.licence_number, account_number=row.account_number, kind=row.kind,
        status=row.status, issued_on=row.issued_on, expires_on=row.expires_on,
        site_data_required=row.site_data_required, site_data_from=row.site_data_from,
        service=row.service, licensee_name=name, change=change,
        service_area=row.service_area, frequency_blocks=list(row.frequency_blocks or []),
        commercial_mobile=row.kind == "spectrum" and is_commercial_mobile(
            row.frequency_blocks or []), primary_licence=row.primary_licence,
        excluded_areas=list(dict(row.details or {}).get("excluded_areas", []))),
        subject=row.licence_number)


async def change_licence(uow: UnitOfWork, number: str, change: str, **values: Any) -> None:
    """Update a licence on file and emit it re-stated (modified, transferred, renewed...)."""
    if "frequency_blocks" in values:  # the commercial-mobile flag follows the blocks
        values["commercial_mobile"] = is_commercial_mobile(values["frequency_blocks"]) and (
            (await licence_row(uow.session, number)).kind == "spectrum")
    await uow.session.execute(update(t.licences).where(
        t.licences.c.licence_number == number).values(**values))
    await announce(uow, number, change)


async def set_status(uow: UnitOfWork, number: str, status: str, reason: str = "", *,
                     published_for_eoi: bool = False) -> None:
    row = await licence_row(uow.session, number)
    await uow.session.execute(update(t.licences).where(
        t.licences.c.licence_number == number).values(
        status=status, status_reason=reason, published_for_eoi=published_for_eoi))
    await uow.emit(LicenceStatusChangedV1(
        licence_number=number, account_number=row.account_number, status=status,
        reason=reason, published_for_eoi=published_for_eoi, effective_on=uow.clock.today()),
        subject=number)
