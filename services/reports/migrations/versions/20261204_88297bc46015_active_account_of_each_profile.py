"""active account of each profile

Revision ID: 88297bc46015
Revises: d62e74a43b83
Create Date: 2026-12-04 17:24:32.789211
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db.base

revision: str = '88297bc46015'
down_revision: str | None = 'd62e74a43b83'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('active_accounts',
    sa.Column('profile_id', sa.String(length=36), nullable=False),
    sa.Column('account_number', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('profile_id', name=op.f('pk_active_accounts'))
    )


def downgrade() -> None:
    op.drop_table('active_accounts')
