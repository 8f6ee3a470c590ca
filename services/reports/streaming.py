"""The dashboard's running aggregates on the real stack: a faust-streaming worker.

Two agents, the same fold as the embedded read (``Tally.add``):

1. ``dedupe`` reads ``sitedata.uploads`` (keyed by upload id, so the ``seen`` table is
   co-partitioned with its stream) and forwards each upload's facts once to
   ``reports.upload-facts`` under one key;
2. ``fold`` reads that topic (one key, so one partition holds every aggregate), folds the
   facts into faust tables (uploads per ``day|status``, processing seconds per day, error codes
   per ``day|code``) and hands the day's figures to a ``sink``: on the real stack the reports
   database's ``dashboard_days``, which the dashboard API reads.

faust is at-least-once here (tansu has no transactions; INFRA.md): a redelivered upload finds
its id in ``seen`` and changes nothing, and the sink writes the whole day again (idempotent),
so a crash between the fold and the write loses nothing. ``spectrum service reports stream``
runs it (``run``); the unit tests drive the agents in memory with faust's ``test_context``, the
integration tests run the worker on tansu, alone and inside ``make stack``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import faust

from services.reports.domain.dashboard import DayFigures, Tally, UploadFacts
from services.reports.handlers.uploads import upload_facts
from shared.events import sitedata as se
from shared.events.envelope import Envelope
from shared.events.registry import PARTITIONS, decode

FACTS_TOPIC = "reports.upload-facts"
ONE_KEY = b"dashboard"
Sink = Callable[[DayFigures], Awaitable[None]]


def facts_of(raw: bytes) -> UploadFacts | None:
    """The dashboard facts of an ``sitedata.upload.processed`` record; None for anything else."""
    try:
        payload = decode(Envelope.from_bytes(raw))
    except ValueError:
        return None  # not an envelope: the bus consumers log it as poison
    if not isinstance(payload, se.UploadProcessedV1):
        return None
    return upload_facts(payload)


class DashboardApp:
    """The faust app, its topics, tables and agents."""

    def __init__(self, broker: str, *, partitions: int = PARTITIONS,
                 app_id: str = "reports-dashboard", uploads_topic: str = se.UPLOADS,
                 facts_topic: str = FACTS_TOPIC, sink: Sink | None = None):
        self.app_id, self.partitions, self.sink = app_id, partitions, sink
        self.uploads_topic, self.facts_topic = uploads_topic, facts_topic
        # faust wants a data directory even for memory tables: a private one under the temp
        # directory (containers run with a read-only root and a writable /tmp)
        self.datadir = Path(tempfile.gettempdir()) / f"{app_id}-{os.getpid()}-data"
        self.app = faust.App(app_id, broker=broker, store="memory://", datadir=self.datadir,
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
                facts = UploadFacts(**json.loads(body))
                added = self.tally.add(facts)
                if self.sink is not None:  # the whole day, even on a redelivery (idempotent)
                    await self.sink(self.tally.day(facts.day))
                yield added

        self.dedupe = self.app.agent(uploads, name="reports-dashboard-dedupe")(dedupe)
        self.fold = self.app.agent(facts, name="reports-dashboard-fold")(fold)

    async def start(self) -> None:
        await self.app.start()

    async def stop(self) -> None:
        await self.app.stop()
        shutil.rmtree(self.datadir, ignore_errors=True)

    def required_topics(self) -> dict[str, int]:
        """Every topic the worker uses, with its partitions: create them before starting
        (tansu and production clusters do not auto-create them as faust expects)."""
        topics = {self.uploads_topic: self.partitions, self.facts_topic: 1,
                  f"{self.app_id}-__assignor-__leader": 1,
                  f"{self.app_id}-reports-dashboard-seen-changelog": self.partitions}
        for table in ("per-day", "seconds", "errors", "folded"):
            topics[f"{self.app_id}-reports-dashboard-{table}-changelog"] = 1
        return topics


def retrying(write: Sink, log: Any, first_wait_s: float = 0.5, max_wait_s: float = 5.0) -> Sink:
    """The sink, retried until it succeeds: the fold waits (its offsets are not committed)
    while the database is away, instead of crashing the agent."""

    async def attempt(figures: DayFigures) -> None:
        wait = first_wait_s
        while True:
            try:
                await write(figures)
                return
            except Exception as exc:  # noqa: BLE001 - any database fault: wait and retry
                log.warning("dashboard.sink_retry", day=figures.day, error=str(exc),
                            wait_s=wait)
                await asyncio.sleep(wait)
                wait = min(max_wait_s, wait * 2)

    return attempt
