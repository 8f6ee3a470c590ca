"""dashboard days: the dashboard's running aggregates, one row per day

Revision ID: 5a1e0c7d9b21
Revises: 960d11c8d3b6
Create Date: 2026-12-02 04:00:00
"""
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db.base

revision: str = '5a1e0c7d9b21'
down_revision: str | None = '960d11c8d3b6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    days = op.create_table('dashboard_days',
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('seconds', sa.Text(), nullable=False),
    sa.Column('error_codes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_dashboard_days'))
    )
    # the uploads logged before this table existed, folded per day
    rows = op.get_bind().execute(sa.select(UPLOAD_LOG)).all()
    if rows:
        op.bulk_insert(days, backfill(rows))


def downgrade() -> None:
    op.drop_table('dashboard_days')


UPLOAD_LOG = sa.table(
    'upload_log', sa.column('received_day', sa.String()), sa.column('status', sa.String()),
    sa.column('error_codes', sa.Text()),
    sa.column('received_at', shared.db.base.UtcDateTime(timezone=True)),
    sa.column('processed_at', shared.db.base.UtcDateTime(timezone=True)))


def backfill(rows: Sequence[sa.Row]) -> list[dict[str, str]]:
    folded: dict[str, tuple[dict[str, int], list[float], dict[str, int]]] = {}
    for row in rows:
        counts, seconds, codes = folded.setdefault(row.received_day, ({}, [], {}))
        counts[row.status] = counts.get(row.status, 0) + 1
        seconds.append(max(0.0, (row.processed_at - row.received_at).total_seconds()))
        for code, n in json.loads(row.error_codes or "{}").items():
            codes[code] = codes.get(code, 0) + n
    return [{"day": day, "counts": json.dumps(c, sort_keys=True), "seconds": json.dumps(s),
             "error_codes": json.dumps(e, sort_keys=True)}
            for day, (c, s, e) in sorted(folded.items())]
