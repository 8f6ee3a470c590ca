"""Identifiers: UUIDv7 (time ordered) from an injectable source."""

from __future__ import annotations

import uuid
from typing import Protocol

import uuid6


class IdSource(Protocol):
    def new(self) -> uuid.UUID: ...


class Uuid7Source:
    def new(self) -> uuid.UUID:
        return uuid.UUID(str(uuid6.uuid7()))


def new_id() -> uuid.UUID:
    return Uuid7Source().new()
