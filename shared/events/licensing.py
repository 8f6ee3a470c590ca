"""Events the licensing service produces.

Topics: ``licensing.accounts`` (keyed by account number), ``licensing.licences`` (keyed by
licence number), ``licensing.applications`` (keyed by application id), ``licensing.invoices``
(keyed by account number).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from shared.events.envelope import Payload

ACCOUNTS = "licensing.accounts"
LICENCES = "licensing.licences"
APPLICATIONS = "licensing.applications"
INVOICES = "licensing.invoices"


class AccountCreatedV1(Payload):
    """A client account. Carries an argon2 hash of the shared secret, never the secret.

    ``registration_id``/``profile_id`` are set when a registration approval caused it."""

    TYPE: ClassVar[str] = "licensing.account.created"
    TOPIC: ClassVar[str] = ACCOUNTS

    account_number: str
    legal_name: str
    email: str
    language: str = "en"
    city: str = ""
    province: str = ""
    secret_hash: str
    contacts: list[dict[str, str]] = []
    registration_id: str | None = None
    profile_id: str | None = None
    client_kind: str = "licensee"
    licence_delivery: str = "E-mail"
    invoice_delivery: str = "E-mail"
    payment_email: str | None = None
    small_business: bool = False


class AccountContactsChangedV1(Payload):
    TYPE: ClassVar[str] = "licensing.account.contacts_changed"
    TOPIC: ClassVar[str] = ACCOUNTS

    account_number: str
    email: str
    language: str = "en"
    contacts: list[dict[str, str]] = []
    payment_email: str | None = None
    licence_delivery: str = "E-mail"
    invoice_delivery: str = "E-mail"


class SecretReissuedV1(Payload):
    """A new shared secret replaces the account's (its argon2 hash only); ``reissued_by`` is
    the staff member's user name."""

    TYPE: ClassVar[str] = "licensing.account.secret_reissued"
    TOPIC: ClassVar[str] = ACCOUNTS

    account_number: str
    secret_hash: str
    reissued_by: str | None = None


class SecretNoticeIssuedV1(Payload):
    """The notice that sends a re-issued shared secret to the account's address of record (an
    e-mail to the account and a letter to post). Like the invoice, it prints the secret: with
    ``licensing.invoice.issued`` the only events that carry one, on the internal bus only."""

    TYPE: ClassVar[str] = "licensing.secret_notice.issued"
    TOPIC: ClassVar[str] = INVOICES

    account_number: str
    legal_name: str
    email: str
    language: str = "en"
    city: str = ""
    province: str = ""
    issued_at: datetime
    reissued_by: str
    shared_secret: str


class LicenceGrantedV1(Payload):
    """A licence entered the registry, or is re-stated whole after a change (``change`` says
    which: granted, modified, transferred, divided, renewed, amended)."""

    TYPE: ClassVar[str] = "licensing.licence.granted"
    TOPIC: ClassVar[str] = LICENCES

    licence_number: str
    account_number: str
    kind: str  # spectrum | radio | broadcasting
    status: str  # Granted | Expired | Suspended | Revoked | Cancelled | Returned
    issued_on: date
    expires_on: date
    site_data_required: bool = False
    site_data_from: date | None = None
    service: str = ""
    licensee_name: str = ""
    change: str = "granted"
    service_area: str = ""
    frequency_blocks: list[str] = []
    commercial_mobile: bool = False
    primary_licence: str | None = None
    excluded_areas: list[str] = []  # divided off the service area (geographic divisions)


class LicenceStatusChangedV1(Payload):
    """Suspended, revoked, expired, cancelled or returned (``published_for_eoi`` when returned
    spectrum is offered with a call for expressions of interest)."""

    TYPE: ClassVar[str] = "licensing.licence.status_changed"
    TOPIC: ClassVar[str] = LICENCES

    licence_number: str
    account_number: str
    status: str
    reason: str = ""
    published_for_eoi: bool = False
    effective_on: date | None = None


class ApplicationSubmittedV1(Payload):
    TYPE: ClassVar[str] = "licensing.application.submitted"
    TOPIC: ClassVar[str] = APPLICATIONS

    application_id: str
    number: str
    family: str  # radio | spectrum | transfer | subordinate | broadcasting
    account_number: str
    profile_id: str
    email: str
    language: str = "en"
    submitted_at: datetime
    service_standard_days: int
    office: str = ""


class ApplicationInfoRequestedV1(Payload):
    TYPE: ClassVar[str] = "licensing.application.info_requested"
    TOPIC: ClassVar[str] = APPLICATIONS

    application_id: str
    number: str
    family: str
    account_number: str
    profile_id: str
    email: str
    language: str = "en"
    question: str


class ApplicationDecidedV1(Payload):
    TYPE: ClassVar[str] = "licensing.application.decided"
    TOPIC: ClassVar[str] = APPLICATIONS

    application_id: str
    number: str
    family: str
    account_number: str
    profile_id: str
    email: str
    language: str = "en"
    decision: str  # approved | denied | partially_approved
    reasons: str = ""
    decided_at: datetime
    licence_numbers: list[str] = []
    submitted_at: datetime | None = None


class InvoiceIssuedV1(Payload):
    """An invoice to deliver. Invoices print the account's shared secret (seed 000), so this
    event, on the internal bus only, is the one event that carries it."""

    TYPE: ClassVar[str] = "licensing.invoice.issued"
    TOPIC: ClassVar[str] = INVOICES

    invoice_number: str
    account_number: str
    legal_name: str
    amount: str  # decimal, CAD
    due_on: date
    kind: str  # issuance | renewal
    delivery: str  # Mail | E-mail
    email: str
    payment_email: str | None = None
    language: str = "en"
    licence_numbers: list[str] = []
    shared_secret: str


EVENTS = (AccountCreatedV1, AccountContactsChangedV1, SecretReissuedV1, LicenceGrantedV1,
          LicenceStatusChangedV1, ApplicationSubmittedV1, ApplicationInfoRequestedV1,
          ApplicationDecidedV1, InvoiceIssuedV1, SecretNoticeIssuedV1)
