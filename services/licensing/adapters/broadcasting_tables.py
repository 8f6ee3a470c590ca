"""Broadcasting-certificate tables (owned by the broadcasting family), on licensing's metadata.

The certificate itself is a licence of kind ``broadcasting`` in the registry (``licences``);
these tables keep its technical record (to pre-fill modifications) and the call signs in use.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, ForeignKey, String, Table

from services.licensing.adapters.metadata import metadata
from shared.db.base import UtcDateTime

broadcasting_certificates = Table(
    "broadcasting_certificates", metadata,
    Column("licence_number", String(9), ForeignKey("licences.licence_number"),
           primary_key=True),
    Column("account_number", String(20), nullable=False, index=True),
    Column("call_sign", String(20), nullable=False),
    Column("service", String(5), nullable=False),  # FM | AM | DTV
    Column("frequency", Float, nullable=False),
    Column("channel", Float, nullable=False),
    Column("record", JSON, nullable=False),  # the approved station sections, by section key
    Column("application_id", String(64), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

broadcasting_call_signs = Table(  # every sign of a certificate on file: main, AX#, HD
    "broadcasting_call_signs", metadata,
    Column("call_sign", String(20), primary_key=True),
    Column("licence_number", String(9), nullable=False, index=True),
    Column("role", String(10), nullable=False),  # main | auxiliary | iboc
)
