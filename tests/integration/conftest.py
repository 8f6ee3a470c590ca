"""The real stack: every service as its own processes on PostgreSQL, tansu, moto and SMTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.gateway.stack import Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(Path(tmp_path_factory.mktemp("stack")), front="nginx")
    try:
        running.start()
    except Exception:
        running.stop()
        raise
    yield running
    running.stop()
