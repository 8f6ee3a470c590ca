"""What the notifications API returns (never a mail body: invoices carry shared secrets)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class DeliveryView(BaseModel):
    id: str
    recipient: str
    template: str
    cause_event_id: str
    cause_type: str
    language: str
    subject: str
    status: str  # pending | sent | dead
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class LetterView(BaseModel):
    id: str
    cause_event_id: str
    kind: str
    reference: str
    account_number: str
    addressee: str
    language: str
    subject: str
    status: str  # to_post | posted
    created_at: datetime
    posted_at: datetime | None
    posted_by: str | None
