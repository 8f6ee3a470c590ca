"""Documents uploaded to applications, on licensing's metadata. The file is an object in the
store (``object_key``); this row says whose it is, what it is and how big."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from services.licensing.adapters.metadata import metadata
from shared.db.base import UtcDateTime

application_documents = Table(
    "application_documents", metadata,
    Column("id", String(64), primary_key=True),
    Column("application_id", String(64), ForeignKey("applications.id"), nullable=False,
           index=True),
    Column("kind", String(30), nullable=False),  # domain/applications/documents.KINDS
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("object_key", String(1024), nullable=False),
    Column("party", String(10), nullable=False),  # applicant | other (joint) | staff
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_at", UtcDateTime(), nullable=False),
)
