"""The faust agents fold uploads with the same function as the embedded dashboard, once each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.reports.streaming import DashboardApp, facts_of
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
    dashboard = DashboardApp("kafka://127.0.0.1:1", app_id="reports-dashboard-test")
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
