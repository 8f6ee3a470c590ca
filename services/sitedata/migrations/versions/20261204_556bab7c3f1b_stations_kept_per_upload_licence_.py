"""stations kept per upload, licence_stations, leases and progress

The rows on file so far become the current rows of their licences (licence_stations);
rows that earlier Replaces deleted cannot be recovered here.

Revision ID: 556bab7c3f1b
Revises: e054de95c2d5
Create Date: 2026-12-04 17:17:45.448578
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db.base

revision: str = '556bab7c3f1b'
down_revision: str | None = 'e054de95c2d5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('licence_stations',
    sa.Column('licence_number', sa.String(length=9), nullable=False),
    sa.Column('upload_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('licence_number', 'upload_id', name=op.f('pk_licence_stations'))
    )
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stations_licence_number'))
        batch_op.create_index('ix_stations_upload', ['upload_id', 'licence_number'], unique=False)

    with op.batch_alter_table('upload_licences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_line', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contact_name', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('business_phone', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('email', sa.Text(), nullable=True))

    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_owner', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('lease_until', shared.db.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('checked_rows', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('checked_bytes', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('applied_rows', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('public_key', sa.String(length=255), nullable=True))

    op.execute("INSERT INTO licence_stations (licence_number, upload_id) "
               "SELECT DISTINCT licence_number, upload_id FROM stations")
    op.execute("UPDATE uploads SET checked_rows = records, applied_rows = records "
               "WHERE stage = 'applied'")


def downgrade() -> None:
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_column('public_key')
        batch_op.drop_column('applied_rows')
        batch_op.drop_column('checked_bytes')
        batch_op.drop_column('checked_rows')
        batch_op.drop_column('attempts')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('lease_owner')

    with op.batch_alter_table('upload_licences', schema=None) as batch_op:
        batch_op.drop_column('email')
        batch_op.drop_column('business_phone')
        batch_op.drop_column('contact_name')
        batch_op.drop_column('first_line')

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_index('ix_stations_upload')
        batch_op.create_index(batch_op.f('ix_stations_licence_number'), ['licence_number'], unique=False)

    op.drop_table('licence_stations')
