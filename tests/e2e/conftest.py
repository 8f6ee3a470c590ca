"""The embedded system (one process, in-memory bus, SQLite, local store, SMTP sink)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.gateway.app import create_app
from services.gateway.embedded import EmbeddedOptions, EmbeddedSystem


@pytest.fixture
async def system(tmp_path: Path) -> AsyncIterator[EmbeddedSystem]:
    embedded = EmbeddedSystem(EmbeddedOptions(var_dir=tmp_path / "var",
                                              base_url="http://testserver"))
    await embedded.start()
    yield embedded
    await embedded.stop()


@pytest.fixture
async def client(system: EmbeddedSystem) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(system.services, ready=lambda: system.ready)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
