"""The dashboard's running aggregates on the real stack: a faust-streaming worker.

Two agents, the same fold as the embedded read (``Tally.add``):

1. ``dedupe`` reads ``sitedata.uploads`` (keyed by upload id, so the ``seen`` table is
   co-partitioned with its stream) and forwards each upload's facts once to
   ``reports.upload-facts`` under one key;
2. ``fold`` reads that topic (one key, so one partition holds every aggregate) and folds the
   facts into faust tables: uploads per ``day|status``, processing seconds per day, error codes.

faust is at-least-once here (tansu has no transactions; INFRA.md): a redelivered upload finds
its id in ``seen`` and changes nothing. Run ``python -m services.reports.streaming worker``
(see ``main``); the unit tests drive the agents in memory with faust's ``test_context``, the
integration test runs the worker on tansu.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict
from typing import Any

import faust

from services.reports.domain.dashboard import Tally, UploadFacts
from shared.events import sitedata as se
from shared.events.envelope import Envelope
from shared.events.registry import decode

FACTS_TOPIC = "reports.upload-facts"
ONE_KEY = b"dashboard"


def facts_of(raw: bytes) -> UploadFacts | None:
    """The dashboard facts of an ``sitedata.upload.processed`` record; None for anything else."""
    try:
        payload = decode(Envelope.from_bytes(raw))
    except ValueError:
        return None  # not an envelope: the bus consumers log it as poison
    if not isinstance(payload, se.UploadProcessedV1):
        return None
    seconds = (payload.processed_at - payload.received_at).total_seconds()
    return UploadFacts(payload.upload_id, payload.received_at.date().isoformat(),
                       payload.status, seconds, dict(payload.error_codes))


class DashboardApp:
    """The faust app, its topics, tables and agents."""

    def __init__(self, broker: str, *, partitions: int = 6, app_id: str = "reports-dashboard",
                 uploads_topic: str = se.UPLOADS, facts_topic: str = FACTS_TOPIC):
        self.app_id, self.partitions = app_id, partitions
        self.uploads_topic, self.facts_topic = uploads_topic, facts_topic
        self.app = faust.App(app_id, broker=broker, store="memory://",
                             topic_partitions=partitions, broker_session_timeout=6,
                             broker_heartbeat_interval=1, value_serializer="raw")
        uploads = self.app.topic(uploads_topic, value_type=bytes, value_serializer="raw")
        facts = self.app.topic(facts_topic, value_type=bytes, value_serializer="raw",
                               partitions=1)
        self.seen = self.app.Table("reports-dashboard-seen", default=bool)
        self.tally = Tally(
            per_day=self.app.Table("reports-dashboard-per-day", default=int, partitions=1),
            seconds=self.app.Table("reports-dashboard-seconds", default=list, partitions=1),
            error_codes=self.app.Table("reports-dashboard-errors", default=int, partitions=1),
            seen=self.app.Table("reports-dashboard-folded", default=bool, partitions=1))

        async def forward(body: bytes) -> None:
            await facts.send(key=ONE_KEY, value=body)

        self.forward: Callable[[bytes], Awaitable[None]] = forward

        async def dedupe(stream: Any) -> AsyncIterator[bytes]:
            async for raw in stream:
                found = facts_of(raw)
                if found is None or self.seen.get(found.upload_id):
                    yield b""  # nothing to forward (an agent yields once per record)
                    continue
                self.seen[found.upload_id] = True
                body = json.dumps(asdict(found)).encode()
                await self.forward(body)
                yield body

        async def fold(stream: Any) -> AsyncIterator[bool]:
            async for body in stream:
                yield self.tally.add(UploadFacts(**json.loads(body)))

        self.dedupe = self.app.agent(uploads, name="reports-dashboard-dedupe")(dedupe)
        self.fold = self.app.agent(facts, name="reports-dashboard-fold")(fold)


    def required_topics(self) -> dict[str, int]:
        """Every topic the worker uses, with its partitions: create them before starting
        (tansu and production clusters do not auto-create them as faust expects)."""
        topics = {self.uploads_topic: self.partitions, self.facts_topic: 1,
                  f"{self.app_id}-__assignor-__leader": 1,
                  f"{self.app_id}-reports-dashboard-seen-changelog": self.partitions}
        for table in ("per-day", "seconds", "errors", "folded"):
            topics[f"{self.app_id}-reports-dashboard-{table}-changelog"] = 1
        return topics


def main() -> None:  # pragma: no cover - a long-running worker
    """``python -m services.reports.streaming worker`` with ``SMS_REPORTS_BUS_URL`` set to
    ``kafka://host:port``; create ``required_topics()`` first."""
    from services.reports.settings import ReportsSettings

    DashboardApp(ReportsSettings().bus_url).app.main()


if __name__ == "__main__":  # pragma: no cover
    main()
