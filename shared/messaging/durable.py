"""The embedded bus with a log that outlives the process: ``MemoryBus`` whose records and
committed offsets are kept in one SQLite file (``var/bus.db``).

It keeps Kafka's promise after a crash: ``publish`` returns once the record is in the file, so
the relay marks an outbox row sent only when the event can no longer be lost; a consumer
commits its offset in the file after its handler returned, so after a restart every group
resumes where it was and records it had not committed are delivered again (the inbox drops
what was already done). Records every group has committed are dropped when the bus starts
(retention); a group seen for the first time then starts at the oldest record kept.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import structlog

from shared.messaging.memory import MemoryBus, TopicPartition
from shared.messaging.ports import Record

log = structlog.get_logger()

SCHEMA = """
CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
    key TEXT NOT NULL, value BLOB NOT NULL, headers TEXT NOT NULL,
    PRIMARY KEY (topic, partition, offset));
CREATE TABLE IF NOT EXISTS offsets (
    consumer_group TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
    offset INTEGER NOT NULL, PRIMARY KEY (consumer_group, topic, partition));
CREATE TABLE IF NOT EXISTS bases (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, base INTEGER NOT NULL,
    PRIMARY KEY (topic, partition));
"""


class DurableBus(MemoryBus):
    """The in-memory bus, its log and offsets written through to a SQLite file."""

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    async def start(self) -> None:
        if self._db is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # survives a killed process, as asked
        db.executescript(SCHEMA)
        self._db = db
        self._load()

    async def stop(self) -> None:
        await super().stop()
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- loading, with retention -------------------------------------------------------
    def _load(self) -> None:
        db = self._require()
        committed: dict[str, dict[TopicPartition, int]] = {}
        for group, topic, partition, offset in db.execute(
                "SELECT consumer_group, topic, partition, offset FROM offsets"):
            committed.setdefault(group, {})[(topic, partition)] = offset
        kept = 0
        for name, partitions in db.execute("SELECT name, partitions FROM topics").fetchall():
            self._logs[name] = [[] for _ in range(partitions)]
            self._bases[name] = [self._compact(db, name, p, committed)
                                 for p in range(partitions)]
            for row in db.execute("SELECT partition, offset, key, value, headers FROM records "
                                  "WHERE topic = ? ORDER BY partition, offset", (name,)):
                partition, offset, key, value, headers = row
                self._logs[name][partition].append(
                    Record(name, key, bytes(value), json.loads(headers), partition, offset))
                kept += 1
        for group, offsets in committed.items():
            self._group_named(group).committed.update(offsets)
        log.info("bus.log_loaded", path=str(self.path), records=kept, groups=len(committed))

    def _compact(self, db: sqlite3.Connection, topic: str, partition: int,
                 committed: dict[str, dict[TopicPartition, int]]) -> int:
        """Drop the records every group that reads the topic has committed; the new base."""
        readers = [offsets for offsets in committed.values()
                   if any(tp[0] == topic for tp in offsets)]
        row = db.execute("SELECT base FROM bases WHERE topic = ? AND partition = ?",
                         (topic, partition)).fetchone()
        base = int(row[0]) if row else 0
        if readers:
            base = max(base, min(offsets.get((topic, partition), 0) for offsets in readers))
        db.execute("BEGIN")
        db.execute("DELETE FROM records WHERE topic = ? AND partition = ? AND offset < ?",
                   (topic, partition, base))
        db.execute("INSERT OR REPLACE INTO bases (topic, partition, base) VALUES (?, ?, ?)",
                   (topic, partition, base))
        db.execute("COMMIT")
        return base

    # --- writing through ---------------------------------------------------------------
    def _require(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("DurableBus.start() must be awaited first")
        return self._db

    def _topic_created(self, topic: str, partitions: int) -> None:
        self._require().execute("INSERT OR IGNORE INTO topics (name, partitions) VALUES (?, ?)",
                                (topic, partitions))

    def _appended(self, record: Record) -> None:
        self._require().execute(
            "INSERT INTO records (topic, partition, offset, key, value, headers) "
            "VALUES (?, ?, ?, ?, ?, ?)", (record.topic, record.partition, record.offset,
                                          record.key, record.value, json.dumps(record.headers)))

    def _committed(self, group: str, tp: TopicPartition, offset: int) -> None:
        self._require().execute(
            "INSERT INTO offsets (consumer_group, topic, partition, offset) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET offset = "
            "excluded.offset", (group, tp[0], tp[1], offset))
