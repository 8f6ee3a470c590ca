"""The notifications schema: deliveries (one per event and recipient), letters to post,
reminders sent, and the read models fed by licensing and sitedata events."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.db.base import UtcDateTime, new_metadata
from shared.messaging.tables import messaging_tables
from shared.sessions import revocations_table

metadata = new_metadata()
tables = messaging_tables(metadata)
# each profile's current session generation (shared/sessions.py)
session_revocations = revocations_table(metadata)

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(36), primary_key=True),
    Column("cause_event_id", String(36), nullable=False),  # or a reminder's id
    Column("cause_type", String(80), nullable=False, server_default=""),
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
Index("ix_deliveries_created", deliveries.c.created_at)

letters = Table(
    "letters", metadata,
    Column("id", String(36), primary_key=True),
    Column("cause_event_id", String(36), nullable=False),
    Column("kind", String(20), nullable=False),  # invoice | licence
    Column("reference", String(40), nullable=False),
    Column("account_number", String(20), nullable=False),
    Column("addressee", String(200), nullable=False),
    Column("language", String(5), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("html_body", Text, nullable=False),
    Column("status", String(12), nullable=False),  # to_post | posted
    Column("created_at", UtcDateTime(), nullable=False),
    Column("posted_at", UtcDateTime(), nullable=True),
    Column("posted_by", String(100), nullable=True),
    UniqueConstraint("cause_event_id", "kind", "reference", name="uq_letters_cause"),
)
Index("ix_letters_status", letters.c.status, letters.c.created_at)

reminders = Table(
    "reminders", metadata,
    Column("id", String(36), primary_key=True),
    Column("licence_number", String(20), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("account_number", String(20), nullable=False),
    Column("recipients", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("licence_number", "kind", "due_on", name="uq_reminders_once"),
)

rm_accounts = Table(
    "rm_accounts", metadata,
    Column("account_number", String(20), primary_key=True),
    Column("legal_name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("language", String(2), nullable=False),
    Column("city", String(100), nullable=False, server_default=""),
    Column("province", String(10), nullable=False, server_default=""),
    Column("contacts", JSON, nullable=True),  # list of {role, name, email, ...}
    Column("payment_email", String(254), nullable=True),
    Column("licence_delivery", String(10), nullable=False, server_default="E-mail"),
    Column("invoice_delivery", String(10), nullable=False, server_default="E-mail"),
)

rm_registrations = Table(
    "rm_registrations", metadata,
    Column("registration_id", String(36), primary_key=True),
    Column("account_number", String(20), nullable=False),
)

rm_site_contacts = Table(
    "rm_site_contacts", metadata,
    Column("account_number", String(20), primary_key=True),
    Column("contact_name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
)

rm_licences = Table(
    "rm_licences", metadata,
    Column("licence_number", String(20), primary_key=True),
    Column("account_number", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("site_data_required", Boolean, nullable=False),
    Column("site_data_from", Date, nullable=True),
)
Index("ix_rm_licences_account", rm_licences.c.account_number)

rm_filings = Table(
    "rm_filings", metadata,
    Column("licence_number", String(20), primary_key=True),
    Column("last_upload", Date, nullable=False),
)
