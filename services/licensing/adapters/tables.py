"""The licensing schema: client accounts and the licence registry."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, String, Table, Text

from shared.db.base import UtcDateTime, new_metadata
from shared.messaging.tables import messaging_tables

metadata = new_metadata()
tables = messaging_tables(metadata)

accounts = Table(
    "accounts", metadata,
    Column("account_number", String(20), primary_key=True),
    Column("legal_name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("language", String(2), nullable=False),
    Column("city", String(100), nullable=False, default=""),
    Column("province", String(2), nullable=False, default=""),
    Column("secret_encrypted", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

licences = Table(
    "licences", metadata,
    Column("licence_number", String(9), primary_key=True),
    Column("account_number", String(20), ForeignKey("accounts.account_number"), nullable=False,
           index=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("service", String(120), nullable=False, default=""),
    Column("issued_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("site_data_required", Boolean, nullable=False, default=False),
    Column("site_data_from", Date, nullable=True),
)
