"""The licensing schema: client accounts, the licence registry, applications and invoices."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)

# the modules that register the rest of the schema on the same metadata: importing this
# module gives the whole schema (bootstrap, migrations, tests that create it)
from services.licensing.adapters import (  # noqa: F401
    broadcasting_tables,
    document_tables,  # documents of applications
    registry_tables,  # service areas, invoice payments
    transfer_tables,  # published transfer decisions, advice requests
)
from services.licensing.adapters.metadata import metadata
from shared.db.base import UtcDateTime
from shared.messaging.tables import messaging_tables
from shared.sessions import revocations_table

tables = messaging_tables(metadata)
# each profile's current session generation (shared/sessions.py)
session_revocations = revocations_table(metadata)

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
    Column("office", String(40), nullable=False, default=""),
    Column("contacts", JSON, nullable=False, default=list),
    Column("payment_email", String(254), nullable=True),
    Column("licence_delivery", String(10), nullable=False, default="E-mail"),
    Column("invoice_delivery", String(10), nullable=False, default="E-mail"),
    Column("small_business", Boolean, nullable=False, default=False),
    Column("registration_id", String(64), nullable=True, unique=True),
    # when the shared secret in force was issued, and by which staff member (None: with the
    # account, or before this was recorded); never the secret itself
    Column("secret_issued_at", UtcDateTime(), nullable=True),
    Column("secret_issued_by", String(80), nullable=True),
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
    Column("service_area", String(200), nullable=False, default=""),
    Column("frequency_blocks", JSON, nullable=False, default=list),
    Column("commercial_mobile", Boolean, nullable=False, default=False),
    Column("primary_licence", String(9), nullable=True, index=True),
    Column("conditions", JSON, nullable=False, default=list),
    Column("details", JSON, nullable=False, default=dict),
    Column("published_for_eoi", Boolean, nullable=False, default=False),
    Column("status_reason", Text, nullable=False, default=""),
)

account_links = Table(  # read model of identity: who may act for which account
    "account_links", metadata,
    Column("profile_id", String(64), primary_key=True),
    Column("account_number", String(20), primary_key=True),
    Column("relation", String(20), nullable=False),
    Column("rights", JSON, nullable=False, default=list),
)

active_accounts = Table(  # read model of identity: the account each profile acts for
    "active_accounts", metadata,
    Column("profile_id", String(64), primary_key=True),
    Column("account_number", String(20), nullable=True),
)

sequences = Table(
    "sequences", metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)

applications = Table(
    "applications", metadata,
    Column("id", String(64), primary_key=True),
    Column("number", String(20), nullable=True, unique=True),
    Column("family", String(20), nullable=False, index=True),
    Column("status", String(30), nullable=False, index=True),
    Column("account_number", String(20), nullable=False, index=True),
    Column("profile_id", String(64), nullable=False, index=True),
    Column("other_account_number", String(20), nullable=True, index=True),
    Column("other_profile_id", String(64), nullable=True),
    Column("office", String(40), nullable=False, default=""),
    Column("channel", String(10), nullable=False, default="online"),
    Column("entered_by", String(64), nullable=True),
    Column("assigned_to", String(64), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=True),
    Column("decided_at", UtcDateTime(), nullable=True),
    Column("decision", String(30), nullable=True),
    Column("reasons", Text, nullable=False, default=""),
    Column("standard_days", Integer, nullable=False),
    Column("clock_started_at", UtcDateTime(), nullable=True),
    Column("clock_paused_since", UtcDateTime(), nullable=True),
    Column("clock_paused_seconds", Integer, nullable=False, default=0),
    Column("clock_stopped_at", UtcDateTime(), nullable=True),
    Column("checklist", JSON, nullable=False, default=dict),
    Column("outcome", JSON, nullable=False, default=dict),
    Column("licence_numbers", JSON, nullable=False, default=list),
)

application_sections = Table(
    "application_sections", metadata,
    Column("application_id", String(64), ForeignKey("applications.id"), primary_key=True),
    Column("section", String(40), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("saved_at", UtcDateTime(), nullable=False),
    Column("saved_by", String(64), nullable=False),
)

application_messages = Table(  # information requests, answers and notes, in order
    "application_messages", metadata,
    Column("id", String(64), primary_key=True),
    Column("application_id", String(64), ForeignKey("applications.id"), nullable=False,
           index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("kind", String(20), nullable=False),  # question | answer | note | decision
    Column("author", String(64), nullable=False),
    Column("text", Text, nullable=False),
)

invoices = Table(
    "invoices", metadata,
    Column("invoice_number", String(20), primary_key=True),
    Column("account_number", String(20), ForeignKey("accounts.account_number"), nullable=False,
           index=True),
    Column("kind", String(20), nullable=False),  # issuance | renewal
    Column("amount", Numeric(12, 2), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(20), nullable=False),  # Issued | Partly paid | Paid | Cancelled
    Column("fiscal_year", Integer, nullable=False),
    Column("licence_numbers", JSON, nullable=False, default=list),
    Column("lines", JSON, nullable=False, default=list),
    Column("amount_paid", Numeric(12, 2), nullable=False, default=0, server_default="0"),
)

invoiced_licences = Table(  # one renewal invoice per licence and fiscal year, at most
    "invoiced_licences", metadata,
    Column("licence_number", String(9), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("invoice_number", String(20), nullable=False),
)
