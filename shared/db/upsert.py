"""Insert-or-update on SQLite and PostgreSQL alike (read models fed by events)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


async def upsert(session: AsyncSession, table: Table, values: dict[str, Any],
                 keys: tuple[str, ...], *, update: bool = True) -> None:
    """Insert ``values``; where ``keys`` match a row, update it (or, ``update=False``, keep it)."""
    dialect = session.get_bind().dialect.name
    builder = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = builder(table).values(**values)
    updates = {k: v for k, v in values.items() if k not in keys} if update else {}
    if updates:
        statement = statement.on_conflict_do_update(index_elements=list(keys), set_=updates)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    await session.execute(statement)
