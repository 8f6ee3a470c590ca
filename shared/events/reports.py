"""The reports service produces no events yet; it only consumes."""

from __future__ import annotations

EVENTS: tuple[type, ...] = ()
