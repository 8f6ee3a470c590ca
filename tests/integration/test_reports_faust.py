"""The dashboard's faust worker on a real Kafka-protocol broker (tansu): uploads published to
``sitedata.uploads`` (one of them twice) end up folded once each in its tables."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import pytest

from services.reports.streaming import DashboardApp
from shared.messaging.kafka import KafkaBus
from tests.unit.reports.test_streaming import record

if TYPE_CHECKING:
    from shared.testing.tansu import TansuServer

pytestmark = pytest.mark.realstack


async def test_the_faust_worker_keeps_the_dashboard_on_tansu(kafka_server: TansuServer) -> None:
    run = time.time_ns()  # topics of its own: the broker is shared by the test session
    uploads = f"it.sitedata.uploads.{run}"
    dashboard = DashboardApp(kafka_server.url, app_id=f"reports-dashboard-{run}",
                             uploads_topic=uploads, facts_topic=f"it.reports.facts.{run}")
    bus = KafkaBus(kafka_server.bootstrap)
    await bus.ensure_topics(dashboard.required_topics())
    await bus.start()
    try:
        for n, seconds in ((1, 2), (2, 6), (2, 6), (3, 4)):
            await bus.publish(uploads, f"u{n}", record(n, seconds))
        await bus.publish(uploads, "u9", record(9, 1, "Errors Found",
                                                              {"SD-R4-CAPS": 2}))
        await dashboard.start()
        deadline = time.monotonic() + 60
        while dashboard.tally.uploads() < 4 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
    finally:
        await dashboard.stop()
        await bus.stop()
    assert dashboard.tally.by_day() == [("2026-11-18", "Errors Found", 1),
                                        ("2026-11-18", "Processed", 3)]
    assert dashboard.tally.percentiles()["p50"] == 2.0
    assert dashboard.tally.top_errors() == [("SD-R4-CAPS", 2)]
