"""Events the licensing service produces."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from shared.events.envelope import Payload

ACCOUNTS = "licensing.accounts"
LICENCES = "licensing.licences"


class AccountCreatedV1(Payload):
    """A client account. Carries an argon2 hash of the shared secret, never the secret."""

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


class LicenceGrantedV1(Payload):
    """A licence entered the registry (or was re-stated after a change)."""

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


class LicenceStatusChangedV1(Payload):
    TYPE: ClassVar[str] = "licensing.licence.status_changed"
    TOPIC: ClassVar[str] = LICENCES

    licence_number: str
    account_number: str
    status: str
    reason: str = ""


EVENTS = (AccountCreatedV1, LicenceGrantedV1, LicenceStatusChangedV1)
