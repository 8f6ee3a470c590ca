"""The identity schema: web profiles, their accounts, registrations, one-time links, the audit
trail, and the account read model fed by licensing's events."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from shared.db.base import UtcDateTime, new_metadata
from shared.messaging.tables import messaging_tables
from shared.sessions import revocations_table

metadata = new_metadata()
tables = messaging_tables(metadata)
# each profile's current session generation (shared/sessions.py)
session_revocations = revocations_table(metadata)

profiles = Table(
    "profiles", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(80), nullable=False, unique=True),  # as the user wrote it
    # the user name without regard to case (domain/usernames.py): unique, what sign-in matches
    Column("username_key", String(80), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("language", String(2), nullable=False),
    Column("roles", String(200), nullable=False, default=""),
    Column("name", String(200), nullable=False, default=""),
    Column("phone", String(40), nullable=False, default=""),
    Column("failed_sign_ins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime(), nullable=True),
    Column("totp_secret", String(300), nullable=True),  # encrypted
    Column("totp_enabled", Boolean, nullable=False, default=False),
    Column("active_account", String(20), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("disabled_at", UtcDateTime(), nullable=True),  # set: no sign-in, sessions ended
)

profile_accounts = Table(
    "profile_accounts", metadata,
    Column("profile_id", String(36), ForeignKey("profiles.id"), primary_key=True),
    Column("account_number", String(20), primary_key=True),
    Column("relation", String(20), nullable=False),
    Column("rights", String(100), nullable=False),
)

registrations = Table(
    "registrations", metadata,
    Column("id", String(36), primary_key=True),
    Column("profile_id", String(36), ForeignKey("profiles.id"), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("office", String(20), nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("account_number", String(20), nullable=True),
    Column("details", Text, nullable=False),  # JSON: what the applicant entered
    Column("question", Text, nullable=True),
    Column("answer", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=True),
)

attachments = Table(
    "attachments", metadata,
    Column("id", String(36), primary_key=True),
    Column("claim_hash", String(64), nullable=False, unique=True),
    Column("registration_id", String(36), ForeignKey("registrations.id"), nullable=True,
           index=True),
    Column("object_key", String(300), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("description", String(500), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

secret_attempts = Table(
    "secret_attempts", metadata,
    Column("id", String(36), primary_key=True),
    Column("account_number", String(20), nullable=False, index=True),
    Column("profile_id", String(36), nullable=True, index=True),
    Column("client", String(64), nullable=True, index=True),  # who tried (address)
    Column("at", UtcDateTime(), nullable=False),
)

password_resets = Table(
    "password_resets", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("profile_id", String(36), ForeignKey("profiles.id"), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime(), nullable=True),
)

invitations = Table(
    "invitations", metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("account_number", String(20), nullable=False, index=True),
    Column("invited_by", String(36), nullable=False),
    Column("email", String(254), nullable=False),
    Column("rights", String(100), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("accepted_by", String(36), nullable=True),
    Column("accepted_at", UtcDateTime(), nullable=True),
)

security_events = Table(
    "security_events", metadata,
    Column("id", String(36), primary_key=True),
    Column("profile_id", String(36), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("detail", String(500), nullable=False, default=""),
    Column("at", UtcDateTime(), nullable=False),
)

rm_accounts = Table(
    "rm_accounts", metadata,
    Column("account_number", String(20), primary_key=True),
    Column("legal_name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("city", String(100), nullable=False, default=""),
    Column("province", String(20), nullable=False, default=""),
    Column("client_kind", String(30), nullable=False, default="licensee"),
    Column("secret_hash", String(200), nullable=False),
)
