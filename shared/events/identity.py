"""Events the identity service produces.

Topics: ``identity.profiles`` (keyed by profile id) and ``identity.registrations`` (keyed by
registration id).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events.envelope import Payload

PROFILES = "identity.profiles"
REGISTRATIONS = "identity.registrations"


class ProfileCreatedV1(Payload):
    TYPE: ClassVar[str] = "identity.profile.created"
    TOPIC: ClassVar[str] = PROFILES

    profile_id: str
    username: str
    email: str
    language: str = "en"
    roles: list[str] = []


class AccountLinkedV1(Payload):
    """A web profile may act for an account with these rights (owner, sub-user or agent).

    Re-emitted with the new rights whenever they change (consumers upsert)."""

    TYPE: ClassVar[str] = "identity.account.linked"
    TOPIC: ClassVar[str] = PROFILES

    profile_id: str
    account_number: str
    relation: str  # owner | subuser | agent
    rights: list[str]  # view, prepare, submit, upload


class AccountUnlinkedV1(Payload):
    TYPE: ClassVar[str] = "identity.account.unlinked"
    TOPIC: ClassVar[str] = PROFILES

    profile_id: str
    account_number: str


class ActiveAccountChangedV1(Payload):
    """The account a web profile acts for (``PUT /api/identity/me/active-account``): every API
    call that needs an account and is not given one uses it. ``None`` when the profile no
    longer acts for the account it had chosen (unlinked)."""

    TYPE: ClassVar[str] = "identity.profile.active_account_changed"
    TOPIC: ClassVar[str] = PROFILES

    profile_id: str
    account_number: str | None


class PasswordResetRequestedV1(Payload):
    """Carries the one-time link that notifications mails (the link is the only copy)."""

    TYPE: ClassVar[str] = "identity.password.reset_requested"
    TOPIC: ClassVar[str] = PROFILES

    profile_id: str
    email: str
    language: str = "en"
    reset_url: str
    expires_at: datetime


class SubUserInvitedV1(Payload):
    TYPE: ClassVar[str] = "identity.subuser.invited"
    TOPIC: ClassVar[str] = PROFILES

    invitation_id: str
    account_number: str
    invited_by: str  # profile id of the owner
    email: str
    language: str = "en"
    rights: list[str]
    invite_url: str
    expires_at: datetime


class SecurityEventV1(Payload):
    """Audit trail entry (sign-in, lock-out, password change, second factor...)."""

    TYPE: ClassVar[str] = "identity.security.event"
    TOPIC: ClassVar[str] = PROFILES

    profile_id: str
    kind: str
    detail: str = ""


class ProfileSessionsRevokedV1(Payload):
    """Every token and session of the profile issued before ``generation`` has ended (signed
    out, password or roles changed, profile disabled). Services refuse older tokens."""

    TYPE: ClassVar[str] = "identity.profile.sessions_revoked"
    TOPIC: ClassVar[str] = PROFILES

    profile_id: str
    generation: int
    reason: str = ""


class NewAccountDetails(BaseModel):
    """What a new holder or new applicant gave at registration; licensing makes the account."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    legal_name: str
    mailing_address: dict[str, str] = {}
    city: str = ""
    province: str = ""
    postal_code: str = ""
    country: str = "CA"
    contacts: list[dict[str, str]] = []  # role: administrative | technical | payment | letter
    small_business: bool = False
    licence_delivery: str = "E-mail"  # Mail | E-mail
    invoice_delivery: str = "E-mail"  # Mail | E-mail
    status_email: str = ""
    payment_email: str | None = None
    language: str = "en"
    client_kind: str = "licensee"  # licensee | equipment_applicant


class RegistrationSubmittedV1(Payload):
    TYPE: ClassVar[str] = "identity.registration.submitted"
    TOPIC: ClassVar[str] = REGISTRATIONS

    registration_id: str
    profile_id: str
    username: str
    kind: str  # one of the registration types of seed 000
    email: str
    language: str = "en"
    needs_approval: bool
    account_number: str | None = None
    office: str = ""  # the staff queue it belongs to


class RegistrationApprovedV1(Payload):
    """An officer approved (or the account number and shared secret checked out).

    ``new_account`` is set when licensing must create a client account; licensing then emits
    ``licensing.account.created`` with this ``registration_id`` and identity links the profile.
    """

    TYPE: ClassVar[str] = "identity.registration.approved"
    TOPIC: ClassVar[str] = REGISTRATIONS

    registration_id: str
    profile_id: str
    kind: str
    email: str
    language: str = "en"
    account_number: str | None = None
    new_account: NewAccountDetails | None = None
    decided_by: str | None = None


class RegistrationRejectedV1(Payload):
    TYPE: ClassVar[str] = "identity.registration.rejected"
    TOPIC: ClassVar[str] = REGISTRATIONS

    registration_id: str
    profile_id: str
    email: str
    language: str = "en"
    reason: str
    decided_by: str


class RegistrationInfoRequestedV1(Payload):
    TYPE: ClassVar[str] = "identity.registration.info_requested"
    TOPIC: ClassVar[str] = REGISTRATIONS

    registration_id: str
    profile_id: str
    email: str
    language: str = "en"
    question: str
    decided_by: str


EVENTS = (ProfileCreatedV1, AccountLinkedV1, AccountUnlinkedV1, ActiveAccountChangedV1,
          PasswordResetRequestedV1, SubUserInvitedV1, SecurityEventV1, ProfileSessionsRevokedV1,
          RegistrationSubmittedV1, RegistrationApprovedV1, RegistrationRejectedV1,
          RegistrationInfoRequestedV1)
