"""The sitedata schema: uploads, their findings, the stations on file, and read models."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from shared.db.base import UtcDateTime, new_metadata
from shared.messaging.tables import messaging_tables
from shared.sessions import revocations_table

metadata = new_metadata()
tables = messaging_tables(metadata)
# each profile's current session generation (shared/sessions.py)
session_revocations = revocations_table(metadata)

uploads = Table(
    "uploads", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("profile_id", String(36), nullable=False, index=True),
    Column("account_number", String(20), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("object_key", String(255), nullable=False),
    Column("mode", String(10), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("status", String(30), nullable=False),
    Column("stage", String(20), nullable=False),  # received | validated | applied | rejected
    Column("records", Integer, nullable=False, default=0),
    Column("error_count", Integer, nullable=False, default=0),
    Column("warning_count", Integer, nullable=False, default=0),
    Column("capped", Boolean, nullable=False, default=False),
    Column("encoding", String(20), nullable=True),
    Column("accounts", Text, nullable=False, default=""),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("validated_at", UtcDateTime(), nullable=True),
    Column("processed_at", UtcDateTime(), nullable=True),  # when the stations were applied
    # the worker checking the file holds a lease, renewed while it works; a lease that ran
    # out is taken over (a crashed worker), and after too many attempts the upload fails
    Column("lease_owner", String(80), nullable=True),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    # progress people see while the file is checked and its stations written
    Column("checked_rows", Integer, nullable=False, default=0),
    Column("checked_bytes", Integer, nullable=False, default=0),
    Column("applied_rows", Integer, nullable=False, default=0),
    Column("public_key", String(255), nullable=True),  # the public rows (shared.stationrows)
)
Index("ix_uploads_stage_seq", uploads.c.stage, uploads.c.seq)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("upload_id", String(36), ForeignKey("uploads.id"), nullable=False, index=True),
    Column("severity", String(10), nullable=False),  # error | warning
    Column("line", Integer, nullable=True),
    Column("column", String(3), nullable=True),
    Column("column_name", String(80), nullable=True),
    Column("value", String(100), nullable=True),
    Column("code", String(40), nullable=False),
    Column("message", Text, nullable=False),
)

upload_licences = Table(
    "upload_licences", metadata,
    Column("upload_id", String(36), ForeignKey("uploads.id"), primary_key=True),
    Column("licence_number", String(9), primary_key=True),
    Column("account_number", String(20), nullable=False),
    Column("special", String(12), nullable=True),
    Column("records", Integer, nullable=False),
    Column("stations", Integer, nullable=False),
    # the licence's first row in the file, and its contact columns C, D, E
    Column("first_line", Integer, nullable=True),
    Column("contact_name", Text, nullable=True),
    Column("business_phone", Text, nullable=True),
    Column("email", Text, nullable=True),
)

# every station row every upload sent, kept with its upload (never rewritten by a later one);
# what is on file for a licence is named by ``licence_stations``
stations = Table(
    "stations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("licence_number", String(9), nullable=False),
    Column("upload_id", String(36), nullable=False),
    Column("line", Integer, nullable=False),
    Column("location", String(63), nullable=False),
    Column("province", String(2), nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("technology", String(10), nullable=True),
    Column("tx_frequency", Float, nullable=True),
    Column("rx_frequency", Float, nullable=True),
    Column("fields", Text, nullable=False),  # the 54 values, one CSV record (stationrows)
    Index("ix_stations_upload", "upload_id", "licence_number"),
)

# the uploads whose rows of a licence are its stations on file: one after a Replace, several
# after Appends, none after NOSTATIONS; applying an upload only changes these pointers
licence_stations = Table(
    "licence_stations", metadata,
    Column("licence_number", String(9), primary_key=True),
    Column("upload_id", String(36), primary_key=True),
)

licence_files = Table(
    "licence_files", metadata,
    Column("licence_number", String(9), primary_key=True),
    Column("last_upload_id", String(36), nullable=False),
    Column("last_upload_at", UtcDateTime(), nullable=False),
    Column("records", Integer, nullable=False),
)

rm_licences = Table(
    "rm_licences", metadata,
    Column("licence_number", String(9), primary_key=True),
    Column("account_number", String(20), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("expires_on", Date, nullable=False),
)

rm_access = Table(
    "rm_access", metadata,
    Column("profile_id", String(36), primary_key=True),
    Column("account_number", String(20), primary_key=True),
    Column("rights", String(100), nullable=False),
)

rm_profiles = Table(
    "rm_profiles", metadata,
    Column("profile_id", String(36), primary_key=True),
    Column("username", String(80), nullable=False),
)

rm_active_accounts = Table(  # the account each profile acts for (identity's active account)
    "rm_active_accounts", metadata,
    Column("profile_id", String(36), primary_key=True),
    Column("account_number", String(20), nullable=True),
)

rm_accounts = Table(
    "rm_accounts", metadata,
    Column("account_number", String(20), primary_key=True),
    Column("email", String(254), nullable=False),
    Column("language", String(2), nullable=False),
)
