"""What licensing consumes from identity: account links, and approvals creating accounts."""

from __future__ import annotations

import structlog
from sqlalchemy import delete, select

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox, new_shared_secret
from services.licensing.handlers.registry import (
    FIRST_ACCOUNT_NUMBER,
    NewAccount,
    create_account,
    next_value,
)
from shared.db.upsert import upsert
from shared.events.envelope import Envelope, Payload
from shared.events.identity import (
    AccountLinkedV1,
    AccountUnlinkedV1,
    ActiveAccountChangedV1,
    RegistrationApprovedV1,
)
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()


async def on_linked(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, AccountLinkedV1)
    await upsert(uow.session, t.account_links, {
        "profile_id": payload.profile_id, "account_number": payload.account_number,
        "relation": payload.relation, "rights": list(payload.rights)},
        ("profile_id", "account_number"))


async def on_unlinked(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, AccountUnlinkedV1)
    await uow.session.execute(delete(t.account_links).where(
        t.account_links.c.profile_id == payload.profile_id,
        t.account_links.c.account_number == payload.account_number))


async def on_active_account(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, ActiveAccountChangedV1)
    await upsert(uow.session, t.active_accounts, {
        "profile_id": payload.profile_id, "account_number": payload.account_number},
        ("profile_id",))


READ_MODEL: dict[str, EventHandler] = {AccountLinkedV1.TYPE: on_linked,
                                       AccountUnlinkedV1.TYPE: on_unlinked,
                                       ActiveAccountChangedV1.TYPE: on_active_account}


class OnRegistrationApproved:
    """A new holder or applicant: a client account with a new number and shared secret."""

    def __init__(self, box: SecretBox):
        self.box = box

    async def __call__(self, uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
        assert isinstance(payload, RegistrationApprovedV1)
        details = payload.new_account
        if details is None:
            return
        done = (await uow.session.execute(select(t.accounts.c.account_number).where(
            t.accounts.c.registration_id == payload.registration_id))).first()
        if done is not None:  # redelivered under another event id: one account only
            return
        number = str(await next_value(uow.session, "account", FIRST_ACCOUNT_NUMBER))
        new = NewAccount(
            account_number=number, legal_name=details.legal_name,
            email=details.status_email or payload.email, shared_secret=new_shared_secret(),
            language=details.language or payload.language, city=details.city,
            province=details.province, office=_office(details.province),
            contacts=list(details.contacts), payment_email=details.payment_email,
            licence_delivery=details.licence_delivery, invoice_delivery=details.invoice_delivery,
            small_business=details.small_business, client_kind=details.client_kind)
        await create_account(uow, self.box, new, registration_id=payload.registration_id,
                             profile_id=payload.profile_id)
        log.info("account.created", account=number, registration=payload.registration_id)


def _office(province: str) -> str:
    """The administrative district office of a new account (by province; see the docs)."""
    return {"ON": "Ontario", "QC": "Quebec", "BC": "Pacific", "YT": "Pacific", "AB": "Prairies",
            "SK": "Prairies", "MB": "Prairies", "NT": "Prairies", "NU": "Prairies"}.get(
        province.upper(), "Atlantic" if province else "")
