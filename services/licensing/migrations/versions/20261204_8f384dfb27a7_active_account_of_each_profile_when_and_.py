"""active account of each profile, when and by whom the shared secret was issued

Revision ID: 8f384dfb27a7
Revises: e6ad29d218c3
Create Date: 2026-12-04 17:29:25.762187
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db.base

revision: str = '8f384dfb27a7'
down_revision: str | None = 'e6ad29d218c3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('active_accounts',
    sa.Column('profile_id', sa.String(length=64), nullable=False),
    sa.Column('account_number', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('profile_id', name=op.f('pk_active_accounts'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret_issued_at', shared.db.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('secret_issued_by', sa.String(length=80), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('secret_issued_by')
        batch_op.drop_column('secret_issued_at')

    op.drop_table('active_accounts')
