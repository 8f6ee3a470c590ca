"""The gateway's OpenAPI document: every service's routes in one document, built from code."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from services.gateway.app import create_app
from services.gateway.catalog import SERVICES
from shared.messaging.memory import MemoryBus
from shared.runtime import Infrastructure
from shared.storage.local import LocalObjectStore


def combined_openapi() -> dict[str, Any]:
    """Builds every service offline (nothing connects) just to read its routes."""
    with tempfile.TemporaryDirectory() as folder:
        infra = Infrastructure(bus=MemoryBus(), store=LocalObjectStore(Path(folder)))
        services = [e.build(e.settings(database_url="sqlite+aiosqlite:///:memory:"), infra)
                    for e in SERVICES]
        return create_app(services).openapi()
