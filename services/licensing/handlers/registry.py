"""Creating client accounts and granting licences (each with its event in the outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox, secret_hash
from shared.events.licensing import AccountCreatedV1, LicenceGrantedV1
from shared.messaging.uow import UnitOfWork


@dataclass(frozen=True)
class NewAccount:
    account_number: str
    legal_name: str
    email: str
    shared_secret: str
    language: str = "en"
    city: str = ""
    province: str = ""


async def create_account(uow: UnitOfWork, box: SecretBox, new: NewAccount) -> None:
    await uow.session.execute(insert(t.accounts).values(
        account_number=new.account_number, legal_name=new.legal_name, email=new.email,
        language=new.language, city=new.city, province=new.province,
        secret_encrypted=box.seal(new.shared_secret), created_at=uow.clock.now()))
    await uow.emit(AccountCreatedV1(
        account_number=new.account_number, legal_name=new.legal_name, email=new.email,
        language=new.language, city=new.city, province=new.province,
        secret_hash=secret_hash(new.shared_secret)), subject=new.account_number)


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


async def grant_licence(uow: UnitOfWork, new: NewLicence, licensee_name: str) -> None:
    await uow.session.execute(insert(t.licences).values(
        licence_number=new.licence_number, account_number=new.account_number, kind=new.kind,
        status=new.status, service=new.service, issued_on=new.issued_on,
        expires_on=new.expires_on, site_data_required=new.site_data_required,
        site_data_from=new.site_data_from))
    await uow.emit(LicenceGrantedV1(
        licence_number=new.licence_number, account_number=new.account_number, kind=new.kind,
        status=new.status, issued_on=new.issued_on, expires_on=new.expires_on,
        site_data_required=new.site_data_required, site_data_from=new.site_data_from,
        service=new.service, licensee_name=licensee_name), subject=new.licence_number)
