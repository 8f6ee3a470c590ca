"""Bus fixtures: the same contract suite runs on the in-memory bus, on the embedded durable
bus (the in-memory bus with its log in a SQLite file) and on Kafka (tansu).

The Kafka side shares the session's one tansu broker (``kafka_server`` in tests/conftest.py);
every test uses fresh, uuid-suffixed topic and group names, so tests never see each other's
records or offsets.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from shared.messaging.factory import open_bus
from shared.messaging.ports import Bus

# tansu holds a JoinGroup for half the session timeout; these keep a join near 3 s.
TANSU_CLIENT_OPTIONS = {
    "session_timeout_ms": 6000,
    "heartbeat_interval_ms": 1000,
    "replication_factor": 1,
}


@pytest.fixture(params=["memory", "durable",
                        pytest.param("kafka", marks=pytest.mark.realstack)])
async def bus(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Bus]:
    if request.param == "memory":
        opened = open_bus("memory://")
    elif request.param == "durable":
        opened = open_bus(f"file://{tmp_path / 'bus.db'}")
    else:
        server = request.getfixturevalue("kafka_server")
        opened = open_bus(server.url, **TANSU_CLIENT_OPTIONS)
    await opened.start()
    try:
        yield opened
    finally:
        await opened.stop()


@pytest.fixture
def fresh_name() -> Callable[[str], str]:
    """``fresh_name("licensing.licences")`` -> ``licensing.licences-3f2a9c1e``."""

    def make(prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:8]}"

    return make
