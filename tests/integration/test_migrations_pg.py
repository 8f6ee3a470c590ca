"""Each service's migrations run on PostgreSQL and produce exactly its models."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from shared.db.migrate import drift, upgrade
from shared.testing.postgres import PostgresServer

SERVICES = ("identity", "licensing", "sitedata", "notifications", "reports")


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_models_on_postgresql(pg_server: PostgresServer,
                                                   service: str) -> None:
    url = pg_server.create_database(f"migrations_{service}")
    tables = importlib.import_module(f"services.{service}.adapters.tables")
    service_dir = Path(tables.__file__).resolve().parents[1]
    upgrade(service_dir, url)
    upgrade(service_dir, url)  # a second run is a no-op
    assert drift(url, tables.metadata) == []
