"""What the identity API and pages both show: a registration with its attachments, and the
statuses behind each registration queue. ``api/`` serves them as JSON, ``web/`` renders them;
neither imports the other."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from services.identity.adapters import views
from services.identity.domain import registration as reg

# the staff queues: a name in the address -> the registration statuses it lists
QUEUE_STATUSES = {"open": list(reg.OPEN), "pending": [reg.PENDING],
                  "info_requested": [reg.INFO_REQUESTED],
                  "decided": [reg.APPROVED, reg.AWAITING_ACCOUNT, reg.REJECTED]}


class AttachmentView(BaseModel):
    id: str
    filename: str
    size: int
    description: str


class RegistrationView(BaseModel):
    id: str
    profile_id: str
    username: str
    email: str
    kind: str
    office: str
    status: str
    account_number: str | None
    details: dict[str, Any]
    question: str | None
    answer: str | None
    reason: str | None
    submitted_at: datetime
    decided_at: datetime | None
    attachments: list[AttachmentView] = []


async def registration_view(session: Any, row: Any) -> RegistrationView:
    files = await views.attachments_of(session, row.id)
    values = dict(row._mapping)
    values["details"] = json.loads(row.details)
    values["attachments"] = [AttachmentView(id=f.id, filename=f.filename, size=f.size,
                                            description=f.description) for f in files]
    return RegistrationView.model_validate(values)
