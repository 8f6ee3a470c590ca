"""The notifications schema: deliveries (one per event and recipient) and read models."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint

from shared.db.base import UtcDateTime, new_metadata
from shared.messaging.tables import messaging_tables

metadata = new_metadata()
tables = messaging_tables(metadata)

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(36), primary_key=True),
    Column("cause_event_id", String(36), nullable=False),
    Column("template", String(80), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("language", String(5), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=False),
    Column("status", String(12), nullable=False),  # pending | sent | dead
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(500), nullable=True),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime(), nullable=True),
    UniqueConstraint("cause_event_id", "template", "recipient", name="uq_deliveries_cause"),
)
Index("ix_deliveries_due", deliveries.c.status, deliveries.c.next_attempt_at)

rm_accounts = Table(
    "rm_accounts", metadata,
    Column("account_number", String(20), primary_key=True),
    Column("legal_name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("language", String(2), nullable=False),
)
