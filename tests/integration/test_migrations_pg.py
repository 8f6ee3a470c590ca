"""Each service's migrations run on PostgreSQL and produce exactly its models."""

from __future__ import annotations

import importlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
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


def test_the_dashboard_days_are_backfilled_from_the_uploads_already_logged(
        pg_server: PostgresServer) -> None:
    url = pg_server.create_database("migrations_reports_backfill")
    service_dir = Path(__file__).resolve().parents[2] / "services" / "reports"
    upgrade(service_dir, url, "960d11c8d3b6")  # the schema before dashboard_days
    with psycopg.connect(pg_server.dsn("migrations_reports_backfill")) as connection:
        for n, (day, status, seconds, codes) in enumerate((
                ("2026-11-18", "Processed", 2, "{}"), ("2026-11-18", "Processed", 6, "{}"),
                ("2026-11-19", "Errors Found", 4, '{"SD-R4-CAPS": 3}'))):
            received = datetime.fromisoformat(f"{day}T09:00:00+00:00")
            connection.execute(
                "insert into upload_log values (%s, '1', %s, 'replace', 1, 0, %s, %s, %s, %s)",
                (f"u{n}", status, codes, day, received, received + timedelta(seconds=seconds)))
    upgrade(service_dir, url)
    with psycopg.connect(pg_server.dsn("migrations_reports_backfill")) as connection:
        rows = connection.execute("select day, counts, seconds, error_codes from dashboard_days "
                                  "order by day").fetchall()
    assert [(day, json.loads(c), json.loads(s), json.loads(e)) for day, c, s, e in rows] == [
        ("2026-11-18", {"Processed": 2}, [2.0, 6.0], {}),
        ("2026-11-19", {"Errors Found": 1}, [4.0], {"SD-R4-CAPS": 3})]
