"""The faust agents fold uploads with the same function as the embedded dashboard, once each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import structlog

from services.reports.domain.dashboard import DayFigures
from services.reports.streaming import DashboardApp, facts_of, retrying
from shared.events import sitedata as se
from shared.events.envelope import Envelope
from shared.ids import Uuid7Source

DAY = datetime(2026, 11, 18, 9, tzinfo=UTC)


def record(n: int, seconds: float, status: str = "Processed",
           codes: dict[str, int] | None = None) -> bytes:
    payload = se.UploadProcessedV1(
        upload_id=f"u{n}", profile_id="p", account_number="1", status=status, mode="replace",
        filename="f.csv", records=1, error_count=0, received_at=DAY,
        processed_at=DAY + timedelta(seconds=seconds), error_codes=codes or {})
    return Envelope(id=Uuid7Source().new(), type=payload.TYPE, source="sms.sitedata",
                    subject=payload.upload_id, time=DAY,
                    data=payload.model_dump(mode="json")).to_bytes()


async def test_the_fold_agent_keeps_the_dashboard_figures() -> None:
    stored: dict[str, DayFigures] = {}

    async def sink(figures: DayFigures) -> None:  # stands in for the dashboard_days table
        stored[figures.day] = figures

    dashboard = DashboardApp("kafka://127.0.0.1:1", app_id="reports-dashboard-test", sink=sink)
    bodies: list[bytes] = []

    async def forward(body: bytes) -> None:  # stands in for the facts topic
        bodies.append(body)

    dashboard.forward = forward
    async with dashboard.dedupe.test_context() as dedupe:
        for raw in (record(1, 2), record(2, 6), record(2, 6), b"not an envelope",
                    record(3, 4, "Errors Found", {"SD-R4-CAPS": 2})):
            await dedupe.put(raw)
    async with dashboard.fold.test_context() as fold:
        for body in bodies:
            await fold.put(body)
        await fold.put(bodies[0])  # redelivered
    tally = dashboard.tally
    assert tally.by_day() == [("2026-11-18", "Errors Found", 1), ("2026-11-18", "Processed", 2)]
    assert tally.percentiles()["p50"] == 4.0
    assert tally.top_errors() == [("SD-R4-CAPS", 2)]
    assert facts_of(b"{}") is None
    assert stored == {"2026-11-18": DayFigures("2026-11-18", {"Errors Found": 1, "Processed": 2},
                                               [2.0, 6.0, 4.0], {"SD-R4-CAPS": 2})}


async def test_the_sink_is_retried_until_the_database_takes_the_day() -> None:
    written: list[DayFigures] = []
    failures = iter([ConnectionError("database restarting"), None])

    async def flaky(figures: DayFigures) -> None:
        failure = next(failures)
        if failure is not None:
            raise failure
        written.append(figures)

    figures = DayFigures("2026-11-18", {"Processed": 1}, [1.0], {})
    await retrying(flaky, structlog.get_logger(), first_wait_s=0.01)(figures)
    assert written == [figures]
