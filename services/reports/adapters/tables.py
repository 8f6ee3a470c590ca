"""The reports schema: read models built from every service's events.

History tables keep ``valid_from``/``valid_to`` (``valid_to`` is NULL for the current version),
so an "as of" query returns the state at that moment even after later changes.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Float, Index, Integer, String, Table, Text

from shared.db.base import UtcDateTime, new_metadata
from shared.messaging.tables import messaging_tables
from shared.sessions import revocations_table

metadata = new_metadata()
tables = messaging_tables(metadata)
# each profile's current session generation (shared/sessions.py)
session_revocations = revocations_table(metadata)

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

# the dashboard's running aggregates, one row per day (JSON texts), written by whichever
# process folds uploads: the embedded consumer or, on the real stack, the faust worker
dashboard_days = Table(
    "dashboard_days", metadata,
    Column("day", String(10), primary_key=True),
    Column("counts", Text, nullable=False),
    Column("seconds", Text, nullable=False),
    Column("error_codes", Text, nullable=False),
)

accounts = Table(
    "accounts", metadata,
    Column("account_number", String(20), primary_key=True),
    Column("legal_name", String(200), nullable=False),
)

access = Table(
    "access", metadata,
    Column("profile_id", String(36), primary_key=True),
    Column("account_number", String(20), primary_key=True),
)

active_accounts = Table(  # the account each profile acts for (identity's active account)
    "active_accounts", metadata,
    Column("profile_id", String(36), primary_key=True),
    Column("account_number", String(20), nullable=True),
)

licences = Table(
    "licences", metadata,
    Column("licence_number", String(20), primary_key=True),
    Column("account_number", String(20), nullable=False, index=True),
    Column("licensee_name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("service", String(200), nullable=False),
    Column("service_area", String(200), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("site_data_required", Boolean, nullable=False),
    Column("site_data_from", Date, nullable=True),
    Column("published_for_eoi", Boolean, nullable=False),
    Column("status_changed_on", Date, nullable=True),
    Column("changed_at", UtcDateTime(), nullable=False),
)

licence_history = Table(
    "licence_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("licence_number", String(20), nullable=False, index=True),
    Column("licensee_name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("service", String(200), nullable=False),
    Column("service_area", String(200), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("valid_from", UtcDateTime(), nullable=False),
    Column("valid_to", UtcDateTime(), nullable=True),
)

filings = Table(
    "filings", metadata,
    Column("licence_number", String(20), primary_key=True),
    Column("last_upload_id", String(36), nullable=False),
    Column("last_upload_at", UtcDateTime(), nullable=False),
)

# the public station rows of every upload (or, for rows loaded before version 2 of
# sitedata.stations.replaced, of every set), loaded once each, never rewritten: ``upload_id``
# names the source they were loaded from; ``station_sources`` says which are on file when
stations = Table(
    "stations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("upload_id", String(120), nullable=False),  # the source (an upload id, or v1:...)
    Column("licence_number", String(20), nullable=False),
    Column("line", Integer, nullable=False),
    Column("location", String(63), nullable=False),
    Column("province", String(2), nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("technology", String(10), nullable=True),
    Column("tx_frequency", Float, nullable=True),
    Column("rx_frequency", Float, nullable=True),
    Column("fields", Text, nullable=False),  # the 54 values, one CSV record, contacts blank
    Index("ix_stations_source", "upload_id", "licence_number"),
    Index("ix_stations_position", "latitude", "longitude"),
)

# which sources make up a licence's stations, from when to when (valid_to NULL: on file now)
station_sources = Table(
    "station_sources", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("licence_number", String(20), nullable=False),
    Column("source", String(120), nullable=False),
    Column("upload_id", String(36), nullable=False),  # the upload the rows came from
    Column("valid_from", UtcDateTime(), nullable=False),
    Column("valid_to", UtcDateTime(), nullable=True),
    Index("ix_station_sources_licence", "licence_number", "valid_to"),
)

# sources loaded into ``stations`` (each once, whatever the number of licences it serves)
station_loads = Table(
    "station_loads", metadata,
    Column("source", String(120), primary_key=True),
    Column("rows", Integer, nullable=False),
    Column("loaded_at", UtcDateTime(), nullable=False),
)

station_sets = Table(
    "station_sets", metadata,
    Column("licence_number", String(20), primary_key=True),
    Column("upload_id", String(36), nullable=False),
    Column("applied_at", UtcDateTime(), nullable=False),
    Column("station_count", Integer, nullable=False),
)

changes = Table(
    "changes", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # licence | stations
    Column("licence_number", String(20), nullable=False),
    Column("change", String(30), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("data", Text, nullable=False),  # JSON, public fields only
)

registrations = Table(
    "registrations", metadata,
    Column("registration_id", String(36), primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("office", String(60), nullable=False),
    Column("state", String(20), nullable=False),  # pending | info_requested | approved | rejected
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=True),
)

applications = Table(
    "applications", metadata,
    Column("application_id", String(36), primary_key=True),
    Column("number", String(40), nullable=False),
    Column("family", String(20), nullable=False),
    Column("office", String(60), nullable=False),
    Column("state", String(20), nullable=False),  # pending | info_requested | decided
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("service_standard_days", Integer, nullable=False),
    Column("decided_at", UtcDateTime(), nullable=True),
)
