"""The one SQLAlchemy metadata of licensing's schema. Every table module registers its tables
on it (``tables.py``: registry, applications, invoices; ``*_tables.py``: the parts owned by a
family or feature); ``tables.py`` imports them all, so ``tables.metadata`` is the whole schema."""

from __future__ import annotations

from shared.db.base import new_metadata

metadata = new_metadata()
