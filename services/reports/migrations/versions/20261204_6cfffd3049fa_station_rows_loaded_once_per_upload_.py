"""station rows loaded once per upload, station_sources

Rows loaded before: each licence's set (licence, upload, valid_from) becomes a source
``v1:<licence>:<upload>:<valid_from>`` with its period in station_sources.

Revision ID: 6cfffd3049fa
Revises: 5a1e0c7d9b21
Create Date: 2026-12-04 17:22:09.886472
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db.base

revision: str = '6cfffd3049fa'
down_revision: str | None = '5a1e0c7d9b21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('station_loads',
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('loaded_at', shared.db.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_station_loads'))
    )
    op.create_table('station_sources',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('licence_number', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('upload_id', sa.String(length=36), nullable=False),
    sa.Column('valid_from', shared.db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('valid_to', shared.db.base.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station_sources'))
    )
    with op.batch_alter_table('station_sources', schema=None) as batch_op:
        batch_op.create_index('ix_station_sources_licence', ['licence_number', 'valid_to'], unique=False)

    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.alter_column('upload_id',
               existing_type=sa.VARCHAR(length=36),
               type_=sa.String(length=120),
               existing_nullable=False)
    source = ("'v1:' || licence_number || ':' || upload_id || ':' || "
              "CAST(valid_from AS VARCHAR(40))")
    op.execute("INSERT INTO station_sources (licence_number, source, upload_id, valid_from, "
               f"valid_to) SELECT DISTINCT licence_number, {source}, upload_id, valid_from, "
               "valid_to FROM stations")
    op.execute(f"UPDATE stations SET upload_id = {source}")
    op.execute("INSERT INTO station_loads (source, rows, loaded_at) SELECT upload_id, "
               "COUNT(*), MIN(valid_from) FROM stations GROUP BY upload_id")
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stations_licence_current'))
        batch_op.create_index('ix_stations_source', ['upload_id', 'licence_number'], unique=False)
        batch_op.drop_column('valid_to')
        batch_op.drop_column('valid_from')


def downgrade() -> None:
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.DATETIME(), nullable=False))
        batch_op.add_column(sa.Column('valid_to', sa.DATETIME(), nullable=True))
        batch_op.drop_index('ix_stations_source')
        batch_op.create_index(batch_op.f('ix_stations_licence_current'), ['licence_number', 'valid_to'], unique=False)
        batch_op.alter_column('upload_id',
               existing_type=sa.String(length=120),
               type_=sa.VARCHAR(length=36),
               existing_nullable=False)

    with op.batch_alter_table('station_sources', schema=None) as batch_op:
        batch_op.drop_index('ix_station_sources_licence')

    op.drop_table('station_sources')
    op.drop_table('station_loads')
