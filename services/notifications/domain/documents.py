"""Licences and invoices: e-mailed, or printed as a letter for staff to post (seed 000).

The account's preferred delivery method (Mail / E-mail) applies to these two documents only.
An invoice goes to the separate payment contact when the account has one, in the mail titled
"ISED Electronic Invoice / Facture électronique ISDE" that carries the account number and the
shared secret (seed 000: that is where a holder finds them to register).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from services.notifications.domain import links
from services.notifications.domain.messages import Message, language_for

MAIL = "Mail"
# a licence re-stated with these changes is a new licence document for the holder
DOCUMENT_CHANGES = frozenset({"granted", "renewed", "amended", "transferred", "divided",
                              "modified"})
# a "granted" statement of a licence issued longer ago than this is a registry load (data
# migration, demo data): the holder already has that document
BACKFILL_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class Letter:
    """A printable letter for staff to post."""

    kind: str  # invoice | licence
    reference: str  # invoice or licence number
    account_number: str
    addressee: str
    address: str
    template: str
    language: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Invoice:
    invoice_number: str
    account_number: str
    legal_name: str
    amount: str
    due_on: date
    kind: str
    delivery: str
    email: str
    payment_email: str | None
    language: str
    licence_numbers: list[str]
    shared_secret: str


def _invoice_context(invoice: Invoice) -> dict[str, Any]:
    return {"invoice_number": invoice.invoice_number, "account_number": invoice.account_number,
            "legal_name": invoice.legal_name, "amount": invoice.amount,
            "due_on": invoice.due_on.isoformat(), "kind": invoice.kind,
            "licence_numbers": ", ".join(invoice.licence_numbers),
            "shared_secret": invoice.shared_secret}


def deliver_invoice(invoice: Invoice, address: str) -> Message | Letter:
    context = _invoice_context(invoice)
    if invoice.delivery == MAIL:
        return Letter("invoice", invoice.invoice_number, invoice.account_number,
                      invoice.legal_name, address, "invoice", language_for(invoice.language),
                      context)
    return Message("invoice", invoice.payment_email or invoice.email,
                   language_for(invoice.language), context)


@dataclass(frozen=True)
class LicenceDocument:
    licence_number: str
    account_number: str
    kind: str
    status: str
    service: str
    change: str
    issued_on: date
    expires_on: date
    licensee_name: str


def needs_document(licence: LicenceDocument, today: date) -> bool:
    """Whether this licence statement is a document to deliver to the holder."""
    if licence.status != "Granted" or licence.change not in DOCUMENT_CHANGES:
        return False
    return not (licence.change == "granted" and licence.issued_on < today - BACKFILL_AFTER)


@dataclass(frozen=True)
class AccountContact:
    email: str
    language: str | None
    legal_name: str
    address: str
    licence_delivery: str


def deliver_licence(licence: LicenceDocument, account: AccountContact,
                    base_url: str) -> Message | Letter:
    context = {"licence_number": licence.licence_number, "kind": licence.kind,
               "service": licence.service, "change": licence.change,
               "issued_on": licence.issued_on.isoformat(),
               "expires_on": licence.expires_on.isoformat(),
               "licensee_name": licence.licensee_name or account.legal_name,
               "account_number": licence.account_number,
               "link": links.account(base_url, licence.account_number)}
    language = language_for(account.language)
    if account.licence_delivery == MAIL:
        return Letter("licence", licence.licence_number, licence.account_number,
                      account.legal_name, account.address, "licence", language, context)
    return Message("licence", account.email, language, context)


@dataclass(frozen=True)
class SecretNotice:
    """A re-issued shared secret, for the account's address of record."""

    account_number: str
    legal_name: str
    email: str
    language: str
    address: str
    issued_on: date
    shared_secret: str


def deliver_secret_notice(notice: SecretNotice, base_url: str) -> tuple[Message, Letter]:
    """Both an e-mail to the account and a letter to post to it, whatever the preferred
    delivery: the holder may no longer read the mailbox the account has on file."""
    context = {"account_number": notice.account_number, "legal_name": notice.legal_name,
               "issued_on": notice.issued_on.isoformat(),
               "shared_secret": notice.shared_secret, "link": links.register(base_url)}
    language = language_for(notice.language)
    return (Message("secret_reissued", notice.email, language, context),
            Letter("secret", notice.account_number, notice.account_number, notice.legal_name,
                   notice.address, "secret_reissued", language, context))
