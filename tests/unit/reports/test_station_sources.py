"""Stations on file from ``sitedata.stations.replaced`` v2: an upload's public rows are loaded
once, however many licences name it; Append keeps the earlier upload's rows beside the new;
"as of" queries see each moment's sources; a redelivered event changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from services.reports.adapters import tables as t
from shared.events import licensing as le
from shared.events import sitedata as se
from tests.unit.reports.conftest import Harness

AT = datetime(2026, 11, 5, 13, tzinfo=UTC)
A, B = "010898101", "010898102"


def rows(licence: str, *names: str, first_line: int = 2) -> list[tuple[str, ...]]:
    return [(licence, str(first_line + n), name, "ON", "45.0", "-75.0", "LTE", "1935.5", "")
            for n, name in enumerate(names)]


async def replaced(reports: Harness, licence: str, upload: str, at: datetime, mode: str,
                   sources: list[tuple[str, str, int]], special: str | None = None) -> None:
    await reports.publish(se.StationsReplacedV2(
        licence_number=licence, upload_id=upload, applied_at=at, mode=mode, special=special,
        record_count=sum(n for _, _, n in sources), station_count=sum(n for _, _, n in sources),
        sources=[se.StationSource(upload_id=u, object_key=k, rows=n) for u, k, n in sources]),
        subject=licence)


async def locations(reports: Harness, licence: str) -> list[str]:
    found = await reports.http.get("/api/reports/public/stations",
                                   params={"licence": licence, "limit": 100})
    assert found.status_code == 200, found.text
    return [item["location"] for item in found.json()["items"]]


async def count(reports: Harness, table: Any) -> int:
    async with reports.service.uows() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(table)))
                   .scalar_one())


async def seed(reports: Harness) -> None:
    for number in (A, B):
        await reports.publish(le.LicenceGrantedV1(
            licence_number=number, account_number="1", kind="spectrum", status="Granted",
            issued_on=date(2020, 4, 1), expires_on=date(2030, 3, 31), licensee_name="X Inc."))


async def one_upload_for_two_licences(reports: Harness) -> None:
    """Upload u1 names A (two stations) and B (one): each licence shows its own."""
    await seed(reports)
    key = await reports.put_public("u1", rows(A, "A1", "A2") + rows(B, "B1", first_line=4))
    await replaced(reports, A, "u1", AT, "replace", [("u1", key, 2)])
    await replaced(reports, B, "u1", AT, "replace", [("u1", key, 1)])
    assert await locations(reports, A) == ["A1", "A2"]
    assert await locations(reports, B) == ["B1"]


async def test_an_upload_naming_two_licences_is_loaded_once(reports: Harness) -> None:
    await one_upload_for_two_licences(reports)
    assert await count(reports, t.station_loads) == 1
    assert await count(reports, t.stations) == 3
    item = (await reports.http.get("/api/reports/public/stations",
                                   params={"licence": A, "limit": 1})).json()["items"][0]
    assert item["fields"][2:5] == ["", "", ""]  # contacts never public


async def test_append_keeps_the_earlier_rows_and_as_of_sees_each_moment(
        reports: Harness) -> None:
    await seed(reports)
    first = await reports.put_public("u1", rows(A, "A1"))
    second = await reports.put_public("u2", rows(A, "A2"))
    await replaced(reports, A, "u1", AT, "replace", [("u1", first, 1)])
    later = AT + timedelta(days=2)
    await replaced(reports, A, "u2", later, "append", [("u1", first, 1), ("u2", second, 1)])
    assert sorted(await locations(reports, A)) == ["A1", "A2"]
    assert await count(reports, t.stations) == 2  # u1's rows were not loaded again
    snapshot = await reports.http.get("/api/reports/public/snapshots/stations.csv",
                                      params={"as_of": "2026-11-05"})
    assert [line.split(",")[1] for line in snapshot.text.splitlines()[1:]] == ["A1"]
    await replaced(reports, A, "u3", later + timedelta(days=1), "replace", [],
                   special="NOSTATIONS")
    assert await locations(reports, A) == []


async def test_a_redelivered_older_set_changes_nothing(reports: Harness) -> None:
    await seed(reports)
    first = await reports.put_public("u1", rows(A, "A1"))
    second = await reports.put_public("u2", rows(A, "A2"))
    await replaced(reports, A, "u2", AT + timedelta(hours=1), "replace", [("u2", second, 1)])
    await replaced(reports, A, "u1", AT, "replace", [("u1", first, 1)])
    assert await locations(reports, A) == ["A2"]
