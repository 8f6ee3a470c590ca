"""The identity schema: web profiles, their accounts, and the account read model."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from shared.db.base import UtcDateTime, new_metadata
from shared.messaging.tables import messaging_tables

metadata = new_metadata()
tables = messaging_tables(metadata)

profiles = Table(
    "profiles", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("language", String(2), nullable=False),
    Column("roles", String(200), nullable=False, default=""),
    Column("failed_sign_ins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

profile_accounts = Table(
    "profile_accounts", metadata,
    Column("profile_id", String(36), ForeignKey("profiles.id"), primary_key=True),
    Column("account_number", String(20), primary_key=True),
    Column("relation", String(20), nullable=False),
    Column("rights", String(100), nullable=False),
)

rm_accounts = Table(
    "rm_accounts", metadata,
    Column("account_number", String(20), primary_key=True),
    Column("legal_name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("city", String(100), nullable=False, default=""),
    Column("secret_hash", String(200), nullable=False),
)
