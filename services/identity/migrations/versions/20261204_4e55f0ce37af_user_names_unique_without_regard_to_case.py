"""user names unique without regard to case

Each profile gets ``username_key``, its user name case-folded, unique. Profiles already there
whose names differ only by case (``QA.Holder2`` beside ``qa.holder2``) cannot all keep them:
the oldest keeps its name, each later one becomes ``<name>-2`` (``-3``...), and the rename is a
row of its audit trail (``username.renamed``) so the help desk can tell its owner.

Revision ID: 4e55f0ce37af
Revises: 7e700f599295
Create Date: 2026-12-04 17:21:40.193707
"""
import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import shared.db.base

revision: str = '4e55f0ce37af'
down_revision: str | None = '7e700f599295'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_LENGTH = 80
log = logging.getLogger("alembic.runtime.migration")

PROFILES = sa.table(
    'profiles', sa.column('id', sa.String()), sa.column('username', sa.String()),
    sa.column('username_key', sa.String()),
    sa.column('created_at', shared.db.base.UtcDateTime(timezone=True)))
EVENTS = sa.table(
    'security_events', sa.column('id', sa.String()), sa.column('profile_id', sa.String()),
    sa.column('kind', sa.String()), sa.column('detail', sa.String()),
    sa.column('at', shared.db.base.UtcDateTime(timezone=True)))


def key(username: str) -> str:
    """The same fold as services/identity/domain/usernames.py, frozen here."""
    return username.strip().casefold()


def keyed(rows: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(profile id, user name, key) for each profile, oldest first: a name another profile
    already holds (without regard to case) gets the first free ``-<n>`` suffix."""
    natural = {key(name) for _, name in rows}
    taken: set[str] = set()
    out = []
    for profile_id, name in rows:
        new, n = name, 1
        while key(new) in taken or (new != name and key(new) in natural):
            n += 1
            suffix = f"-{n}"
            new = name[:MAX_LENGTH - len(suffix)] + suffix
        taken.add(key(new))
        out.append((profile_id, new, key(new)))
    return out


def upgrade() -> None:
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username_key', sa.String(length=80), nullable=True))
    bind = op.get_bind()
    rows = [(r[0], r[1]) for r in bind.execute(sa.select(PROFILES.c.id, PROFILES.c.username)
                                                .order_by(PROFILES.c.created_at, PROFILES.c.id))]
    names = dict(rows)
    for profile_id, name, folded in keyed(rows):
        bind.execute(PROFILES.update().where(PROFILES.c.id == profile_id).values(
            username=name, username_key=folded))
        if name != names[profile_id]:
            log.warning("user name %r renamed %r: another profile holds it in another case",
                        names[profile_id], name)
            bind.execute(EVENTS.insert().values(
                id=str(uuid.uuid4()), profile_id=profile_id, kind='username.renamed',
                detail=f"{names[profile_id]} -> {name} (user names are unique without "
                       "regard to case)", at=datetime.now(UTC)))
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.alter_column('username_key', existing_type=sa.String(length=80),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_profiles_username_key'),
                                          ['username_key'])


def downgrade() -> None:
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_profiles_username_key'), type_='unique')
        batch_op.drop_column('username_key')
