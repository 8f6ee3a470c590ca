"""Events the notifications service produces."""

from __future__ import annotations

from typing import ClassVar

from shared.events.envelope import Payload

DELIVERIES = "notifications.deliveries"


class MailDeliveredV1(Payload):
    TYPE: ClassVar[str] = "notifications.mail.delivered"
    TOPIC: ClassVar[str] = DELIVERIES

    delivery_id: str
    template: str
    recipient: str
    cause_event_id: str
    attempts: int


class MailFailedV1(Payload):
    """The last attempt failed: the delivery is dead-lettered for staff to look at."""

    TYPE: ClassVar[str] = "notifications.mail.failed"
    TOPIC: ClassVar[str] = DELIVERIES

    delivery_id: str
    template: str
    recipient: str
    cause_event_id: str
    attempts: int
    error: str


EVENTS = (MailDeliveredV1, MailFailedV1)
