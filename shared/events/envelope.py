"""The event envelope (CloudEvents names) and the base class of every payload."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class Payload(BaseModel):
    """Base of every versioned payload. A subclass sets TYPE, VERSION and TOPIC.

    Within a version only optional fields may be added; a breaking change is a new class
    (``...V2``) registered beside the old one.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    TOPIC: ClassVar[str]


class Envelope(BaseModel):
    """One event on the bus. ``subject`` is the aggregate id and the Kafka key."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    type: str
    version: int = 1
    source: str
    subject: str
    time: datetime
    correlation_id: str | None = None
    causation_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        return cls.model_validate_json(raw)

    def headers(self) -> dict[str, str]:
        return {"ce_type": self.type, "ce_version": str(self.version), "ce_id": str(self.id)}
