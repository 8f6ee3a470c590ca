"""The ``notifications.email`` consumer group: which events become which mail.

Status updates go to the address the event names; upload results to the account that
submitted (seed 001); the approval of a new holder waits for its account number; licences and
invoices follow the account's preferred delivery method (seed 000).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from services.notifications.adapters import tables as t
from services.notifications.adapters.render import Renderer
from services.notifications.domain import documents as d
from services.notifications.domain import messages as m
from services.notifications.handlers.deliveries import account, address_of, queue, queue_letter
from shared.events import identity as ie
from shared.events import licensing as le
from shared.events import sitedata as se
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.ports import RetryLater
from shared.messaging.uow import UnitOfWork

Build = Callable[[Payload, str], m.Message | None]


def _registration_received(p: Payload, base: str) -> m.Message | None:
    """Only a registration that waits for an officer is acknowledged: one that checks out at
    once (account number and shared secret) is followed by its approval mail."""
    assert isinstance(p, ie.RegistrationSubmittedV1)
    if not p.needs_approval:
        return None
    return m.registration_received(username=p.username, email=p.email, language=p.language,
                                   needs_approval=p.needs_approval, base_url=base)


def _registration_rejected(p: Payload, _: str) -> m.Message:
    assert isinstance(p, ie.RegistrationRejectedV1)
    return m.registration_rejected(email=p.email, language=p.language, reason=p.reason)


def _registration_info(p: Payload, base: str) -> m.Message:
    assert isinstance(p, ie.RegistrationInfoRequestedV1)
    return m.registration_info_requested(registration_id=p.registration_id, email=p.email,
                                         language=p.language, question=p.question, base_url=base)


def _password_reset(p: Payload, _: str) -> m.Message:
    assert isinstance(p, ie.PasswordResetRequestedV1)
    return m.password_reset(email=p.email, language=p.language, reset_url=p.reset_url,
                            expires_at=p.expires_at)


def _subuser_invited(p: Payload, _: str) -> m.Message:
    assert isinstance(p, ie.SubUserInvitedV1)
    return m.subuser_invited(email=p.email, language=p.language, account_number=p.account_number,
                             rights=p.rights, invite_url=p.invite_url, expires_at=p.expires_at)


def _application_submitted(p: Payload, base: str) -> m.Message:
    assert isinstance(p, le.ApplicationSubmittedV1)
    return m.application_submitted(
        application_id=p.application_id, number=p.number, family=p.family, email=p.email,
        language=p.language, submitted_at=p.submitted_at,
        service_standard_days=p.service_standard_days, base_url=base)


def _application_info(p: Payload, base: str) -> m.Message:
    assert isinstance(p, le.ApplicationInfoRequestedV1)
    return m.application_info_requested(application_id=p.application_id, number=p.number,
                                        email=p.email, language=p.language,
                                        question=p.question, base_url=base)


def _application_decided(p: Payload, base: str) -> m.Message:
    assert isinstance(p, le.ApplicationDecidedV1)
    return m.application_decided(application_id=p.application_id, number=p.number,
                                 email=p.email, language=p.language, decision=p.decision,
                                 reasons=p.reasons, licence_numbers=p.licence_numbers,
                                 base_url=base)


SIMPLE: dict[str, Build] = {
    ie.RegistrationSubmittedV1.TYPE: _registration_received,
    ie.RegistrationRejectedV1.TYPE: _registration_rejected,
    ie.RegistrationInfoRequestedV1.TYPE: _registration_info,
    ie.PasswordResetRequestedV1.TYPE: _password_reset,
    ie.SubUserInvitedV1.TYPE: _subuser_invited,
    le.ApplicationSubmittedV1.TYPE: _application_submitted,
    le.ApplicationInfoRequestedV1.TYPE: _application_info,
    le.ApplicationDecidedV1.TYPE: _application_decided,
}


class MailHandlers:
    """Every mail handler, sharing the renderer and the public base URL of the gateway."""

    def __init__(self, renderer: Renderer, base_url: str):
        self._renderer = renderer
        self._base = base_url.rstrip("/")

    async def simple(self, uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        message = SIMPLE[envelope.type](payload, self._base)
        if message is None:
            return
        await queue(uow, self._renderer, message, str(envelope.id), envelope.type)

    async def upload_result(self, uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        assert isinstance(payload, se.UploadProcessedV1)
        row = await account(uow, payload.account_number)
        message = m.upload_result(payload.status, payload.upload_id, payload.filename,
                                  payload.records, payload.error_count, row.email,
                                  row.language, self._base)
        await queue(uow, self._renderer, message, str(envelope.id), envelope.type)

    async def registration_approved(self, uow: UnitOfWork, payload: Payload,
                                    envelope: Envelope) -> None:
        """A new holder's account number arrives later, in ``licensing.account.created`` with
        the same registration id: until the read model has it, the event is retried."""
        assert isinstance(payload, ie.RegistrationApprovedV1)
        number = payload.account_number
        if payload.new_account is not None and number is None:
            number = (await uow.session.execute(select(t.rm_registrations.c.account_number).where(
                t.rm_registrations.c.registration_id == payload.registration_id))).scalar()
            if number is None:
                raise RetryLater(f"account of registration {payload.registration_id} not "
                                 "created yet")
        message = m.registration_approved(email=payload.email, language=payload.language,
                                          account_number=number, base_url=self._base)
        await queue(uow, self._renderer, message, str(envelope.id), envelope.type)

    async def invoice(self, uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        assert isinstance(payload, le.InvoiceIssuedV1)
        known = (await uow.session.execute(select(t.rm_accounts).where(
            t.rm_accounts.c.account_number == payload.account_number))).first()
        invoice = d.Invoice(
            payload.invoice_number, payload.account_number, payload.legal_name, payload.amount,
            payload.due_on, payload.kind, payload.delivery, payload.email, payload.payment_email,
            payload.language, payload.licence_numbers, payload.shared_secret)
        await self._deliver(uow, d.deliver_invoice(invoice, address_of(known) if known else ""),
                            envelope)

    async def secret_notice(self, uow: UnitOfWork, payload: Payload,
                            envelope: Envelope) -> None:
        """A re-issued shared secret: e-mailed to the account and a letter for staff to post
        (seed 000: an invoice's secret is found in the e-mail or on the printed copy)."""
        assert isinstance(payload, le.SecretNoticeIssuedV1)
        address = ", ".join(part for part in (payload.city, payload.province) if part)
        notice = d.SecretNotice(payload.account_number, payload.legal_name, payload.email,
                                payload.language, address, payload.issued_at.date(),
                                payload.shared_secret)
        for what in d.deliver_secret_notice(notice, self._base):
            await self._deliver(uow, what, envelope)

    async def licence(self, uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        assert isinstance(payload, le.LicenceGrantedV1)
        document = d.LicenceDocument(
            payload.licence_number, payload.account_number, payload.kind, payload.status,
            payload.service, payload.change, payload.issued_on, payload.expires_on,
            payload.licensee_name)
        if not d.needs_document(document, envelope.time.date()):
            return
        row = await account(uow, payload.account_number)
        contact = d.AccountContact(row.email, row.language, row.legal_name, address_of(row),
                                   row.licence_delivery)
        await self._deliver(uow, d.deliver_licence(document, contact, self._base), envelope)

    async def _deliver(self, uow: UnitOfWork, what: m.Message | d.Letter,
                       envelope: Envelope) -> None:
        if isinstance(what, d.Letter):
            await queue_letter(uow, self._renderer, what, str(envelope.id))
        else:
            await queue(uow, self._renderer, what, str(envelope.id), envelope.type)

    def handlers(self) -> dict[str, EventHandler]:
        found: dict[str, EventHandler] = {kind: self.simple for kind in SIMPLE}
        found.update({se.UploadProcessedV1.TYPE: self.upload_result,
                      ie.RegistrationApprovedV1.TYPE: self.registration_approved,
                      le.InvoiceIssuedV1.TYPE: self.invoice,
                      le.SecretNoticeIssuedV1.TYPE: self.secret_notice,
                      le.LicenceGrantedV1.TYPE: self.licence})
        return found
