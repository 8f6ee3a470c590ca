"""The reports schema: read models built from every service's events."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text

from shared.db.base import UtcDateTime, new_metadata
from shared.messaging.tables import messaging_tables

metadata = new_metadata()
tables = messaging_tables(metadata)

upload_log = Table(
    "upload_log", metadata,
    Column("upload_id", String(36), primary_key=True),
    Column("account_number", String(20), nullable=False, index=True),
    Column("status", String(30), nullable=False),
    Column("mode", String(10), nullable=False),
    Column("records", Integer, nullable=False),
    Column("error_count", Integer, nullable=False),
    Column("error_codes", Text, nullable=False),
    Column("received_day", String(10), nullable=False, index=True),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("processed_at", UtcDateTime(), nullable=False),
)
