"""A big upload's public rows loaded by a child process (the embedded system, where the pages
share the process): the same stations as a load in the process, nothing left in the staging
database, and a load that fails leaves nothing behind and succeeds when the event comes again."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.reports.adapters import tables as t
from services.reports.adapters.child_load import staging_path
from shared.stationrows import public_key
from tests.unit.reports.conftest import Harness, harness_on
from tests.unit.reports.test_station_sources import (
    AT,
    A,
    count,
    locations,
    one_upload_for_two_licences,
    replaced,
    rows,
    seed,
)


@pytest.fixture
async def reports(tmp_path: Path) -> AsyncIterator[Harness]:
    # every object counts as big: each load goes through a child process
    async with harness_on(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", tmp_path / "objects",
                          load_in_child_over_bytes=1) as harness:
        yield harness


def staged_tables(tmp_path: Path) -> list[str]:
    with sqlite3.connect(staging_path(str(tmp_path / "r.db"))) as db:
        return [name for (name,) in db.execute("SELECT name FROM sqlite_master")]


async def test_a_load_in_a_child_gives_the_stations_a_load_in_the_process_gives(
        reports: Harness, tmp_path: Path) -> None:
    await one_upload_for_two_licences(reports)
    assert await count(reports, t.stations) == 3  # loaded once for both licences
    found = (await reports.http.get("/api/reports/public/stations",
                                    params={"licence": A, "limit": 1})).json()["items"][0]
    assert found["fields"][2:5] == ["", "", ""]  # contacts never public
    assert found["latitude"] == 45.0  # numbers stay numbers through the staging table
    assert staged_tables(tmp_path) == []


async def test_a_failed_load_leaves_nothing_and_the_event_again_loads_it(
        reports: Harness, tmp_path: Path) -> None:
    await seed(reports)
    await reports.store.put_bytes(public_key("u1"), b"not gzip at all " * 8)
    with pytest.raises(RuntimeError, match="loading"):
        await replaced(reports, A, "u1", AT, "replace", [("u1", public_key("u1"), 1)])
    assert await count(reports, t.stations) == 0
    assert await count(reports, t.station_loads) == 0
    await reports.put_public("u1", rows(A, "A1"))
    await replaced(reports, A, "u1", AT, "replace", [("u1", public_key("u1"), 1)])
    assert await locations(reports, A) == ["A1"]
    assert staged_tables(tmp_path) == []
