"""active account of each profile

Revision ID: 7b091ec27147
Revises: 5e58e03b986e
Create Date: 2026-12-04 17:24:03.239321
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db.base

revision: str = '7b091ec27147'
down_revision: str | None = '5e58e03b986e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rm_active_accounts',
    sa.Column('profile_id', sa.String(length=36), nullable=False),
    sa.Column('account_number', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('profile_id', name=op.f('pk_rm_active_accounts'))
    )


def downgrade() -> None:
    op.drop_table('rm_active_accounts')
