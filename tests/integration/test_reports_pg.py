"""The reports read models and queries on PostgreSQL: the same scenario tests as on SQLite
(status report, browser filters and distance, dashboard, "as of" snapshots)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import count
from pathlib import Path

import pytest

from shared.testing.postgres import PostgresServer
from tests.unit.reports import (
    test_analytics,
    test_browser,
    test_dashboard,
    test_station_sources,
    test_status_report,
)
from tests.unit.reports.conftest import Harness, harness_on

pytestmark = pytest.mark.realstack
_databases = count()


@pytest.fixture
async def reports(pg_server: PostgresServer, tmp_path: Path) -> AsyncIterator[Harness]:
    url = pg_server.create_database(f"reports_scenario_{next(_databases)}")
    async with harness_on(url, tmp_path / "objects") as harness:
        yield harness


SCENARIOS = [
    test_status_report.test_due_dates_follow_the_rule_with_a_controlled_clock,
    test_status_report.test_redelivered_and_stale_events_change_nothing,
    test_browser.test_each_filter_on_known_data,
    test_browser.test_distance_search_returns_the_nearest_first,
    test_dashboard.test_dashboard_figures_after_a_scripted_set_of_events,
    test_analytics.test_as_of_returns_the_state_at_that_date_after_later_changes,
    test_analytics.test_snapshots_as_parquet,
    test_analytics.test_public_change_feed_by_sequence,
    # version 2: an upload's public rows go in with COPY, once
    test_station_sources.test_an_upload_naming_two_licences_is_loaded_once,
    test_station_sources.test_append_keeps_the_earlier_rows_and_as_of_sees_each_moment,
    test_station_sources.test_a_redelivered_older_set_changes_nothing,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
async def test_reports_scenarios_on_postgresql(reports: Harness, scenario) -> None:  # type: ignore[no-untyped-def]
    await scenario(reports)
