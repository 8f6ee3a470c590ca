"""Alembic, driven from code: each service has its own history under ``migrations/``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine

from shared.db.engine import sync_url


def alembic_config(service_dir: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(service_dir / "migrations"))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    config.set_main_option(
        "file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s"
    )
    return config


def upgrade(service_dir: Path, url: str, target: str = "head") -> None:
    """Apply the service's migrations up to ``target`` (all of them by default)."""
    from shared.db.engine import is_sqlite

    if is_sqlite(url):
        from sqlalchemy.engine import make_url

        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(service_dir, url), target)


def revision(service_dir: Path, url: str, message: str) -> None:
    command.revision(alembic_config(service_dir, url), message=message, autogenerate=True)


def drift(url: str, metadata: MetaData) -> list[object]:
    """Differences between the migrated database and the models (empty when they match)."""
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()
