"""Registry tables beside ``tables.py``: the service-area hierarchy an operator loads, and the
payments recorded against invoices."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, Numeric, String, Table

from services.licensing.adapters.metadata import metadata
from shared.db.base import UtcDateTime

service_areas = Table(  # empty: the shipped sample is in use (domain/reference.py)
    "service_areas", metadata,
    Column("code", String(20), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("tier", Integer, nullable=False, index=True),
    Column("parent", String(20), nullable=True, index=True),
    Column("geometry", JSON, nullable=True),  # GeoJSON Polygon/MultiPolygon, WGS84, if given
    Column("source", String(200), nullable=False, default=""),
    Column("loaded_at", UtcDateTime(), nullable=False),
)

invoice_payments = Table(
    "invoice_payments", metadata,
    Column("id", String(64), primary_key=True),
    Column("invoice_number", String(20), ForeignKey("invoices.invoice_number"), nullable=False,
           index=True),
    Column("amount", Numeric(12, 2), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("reference", String(100), nullable=False, default=""),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
)
