"""Events the identity service produces."""

from __future__ import annotations

from typing import ClassVar

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
    """A web profile may act for an account, with these rights (owner, sub-user or agent)."""

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


EVENTS = (ProfileCreatedV1, AccountLinkedV1, AccountUnlinkedV1)
