"""One real stack per fault-test module (``KAFKA_STORAGE`` in the module picks tansu's storage)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.gateway.stack import Stack


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    storage = getattr(request.module, "KAFKA_STORAGE", "memory")
    running = Stack(Path(tmp_path_factory.mktemp("faults")), kafka_storage=storage, front="nginx")
    try:
        running.start_servers()
        running.prepare()
        running.start_processes()
        running.wait_ready(timeout=300)  # sixteen processes start at once on two cores
    except Exception:
        running.stop()
        raise
    yield running
    running.stop()
