"""Commercial mobile transfers (CPC-2-1-23 5.6.2 x and xiii), on licensing's metadata: the
published summaries of decisions (public by design) and requests for informal advice
(confidential: never published)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, String, Table, Text

from services.licensing.adapters.metadata import metadata
from shared.db.base import UtcDateTime

transfer_decisions = Table(  # one published summary per decided application
    "transfer_decisions", metadata,
    Column("application_id", String(64), primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("family", String(20), nullable=False),  # transfer | subordinate
    Column("kind", String(20), nullable=False),  # transfer | deemed | prospective | subordinate
    Column("decision", String(30), nullable=False),  # Approved | Partially approved | Denied
    Column("decided_on", Date, nullable=False, index=True),
    Column("licensee", String(200), nullable=False),
    Column("other_party", String(200), nullable=False),
    Column("licences", JSON, nullable=False, default=list),  # [{number, band, blocks, area}]
    Column("summary", Text, nullable=False),
)

advice_requests = Table(
    "advice_requests", metadata,
    Column("id", String(64), primary_key=True),
    Column("account_number", String(20), nullable=False, index=True),
    Column("profile_id", String(64), nullable=False),
    Column("kind", String(20), nullable=False),  # transfer | deemed | prospective | subordinate
    Column("other_party", String(200), nullable=False),
    Column("licence_numbers", JSON, nullable=False, default=list),
    Column("description", Text, nullable=False),
    Column("questions", Text, nullable=False),
    Column("status", String(20), nullable=False),  # Open | Answered | Declined | Withdrawn
    Column("created_at", UtcDateTime(), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=True),
    Column("answered_by", String(64), nullable=True),
    Column("answer", Text, nullable=False, default=""),
)
