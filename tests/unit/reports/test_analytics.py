"""Policy analytics: "as of" snapshots return the state at that date after later changes; the
public change feed; the event contracts served."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pyarrow.parquet as pq

from shared.events import licensing as le
from shared.events import sitedata as se
from tests.unit.reports.conftest import Harness

NOV_5 = datetime(2026, 11, 5, 13, tzinfo=UTC)
NOV_12 = datetime(2026, 11, 12, 13, tzinfo=UTC)
NOV_15 = datetime(2026, 11, 15, 13, tzinfo=UTC)


def grant(status: str = "Granted", name: str = "Northern Demo Wireless Inc.",
          change: str = "granted") -> le.LicenceGrantedV1:
    return le.LicenceGrantedV1(
        licence_number="010898101", account_number="100000001", kind="spectrum", status=status,
        issued_on=date(2020, 4, 1), expires_on=date(2030, 3, 31), licensee_name=name,
        change=change)


async def replace(reports: Harness, upload: str, at: datetime, locations: list[str]) -> None:
    key = None
    if locations:
        key = await reports.put_stations(f"public/stations/010898101/{upload}.jsonl", [
            {"licence_number": "010898101", "location": loc, "province": "ON",
             "latitude": 45.0, "longitude": -75.0, "technology": "LTE", "tx_frequency": 1935.5,
             "rx_frequency": None, "line": n + 2, "fields": [""] * 54}
            for n, loc in enumerate(locations)])
    await reports.publish(se.StationsReplacedV1(
        licence_number="010898101", upload_id=upload, applied_at=at, mode="replace",
        special=None if locations else "NOSTATIONS", station_count=len(locations),
        record_count=len(locations), object_key=key), subject="010898101")


async def history(reports: Harness) -> None:
    await reports.publish(grant(), at=datetime(2026, 11, 1, 9, tzinfo=UTC))
    await replace(reports, "u1", NOV_5, ["Tower A", "Tower B"])
    await replace(reports, "u2", NOV_12, ["Tower C"])
    await reports.publish(grant(name="Northern Wireless 2027 Inc.", change="transferred"),
                          at=NOV_12)
    await replace(reports, "u3", NOV_15, [])
    await reports.publish(le.LicenceStatusChangedV1(
        licence_number="010898101", account_number="100000001", status="Suspended"), at=NOV_15)


async def snapshot(reports: Harness, dataset: str, day: str) -> list[list[str]]:
    response = await reports.http.get(f"/api/reports/public/snapshots/{dataset}.csv",
                                      params={"as_of": day})
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.text)))


async def test_as_of_returns_the_state_at_that_date_after_later_changes(
        reports: Harness) -> None:
    await history(reports)
    assert [r[1] for r in (await snapshot(reports, "stations", "2026-11-04"))[1:]] == []
    assert [r[1] for r in (await snapshot(reports, "stations", "2026-11-05"))[1:]] == [
        "Tower A", "Tower B"]
    assert [r[1] for r in (await snapshot(reports, "stations", "2026-11-11"))[1:]] == [
        "Tower A", "Tower B"]
    assert [r[1] for r in (await snapshot(reports, "stations", "2026-11-12"))[1:]] == ["Tower C"]
    assert (await snapshot(reports, "stations", "2026-11-20"))[1:] == []
    licences = await snapshot(reports, "licences", "2026-11-05")
    assert licences[0][:4] == ["licence_number", "licensee_name", "kind", "status"]
    assert licences[1][1:4] == ["Northern Demo Wireless Inc.", "spectrum", "Granted"]
    assert (await snapshot(reports, "licences", "2026-11-13"))[1][1] == (
        "Northern Wireless 2027 Inc.")
    assert (await snapshot(reports, "licences", "2026-11-16"))[1][3] == "Suspended"
    assert (await snapshot(reports, "licences", "2026-10-31"))[1:] == []


async def test_snapshots_as_parquet(reports: Harness) -> None:
    await history(reports)
    response = await reports.http.get("/api/reports/public/snapshots/stations.parquet",
                                      params={"as_of": "2026-11-06"})
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column("location").to_pylist() == ["Tower A", "Tower B"]
    assert table.column("latitude").to_pylist() == [45.0, 45.0]
    empty = await reports.http.get("/api/reports/public/snapshots/licences.parquet",
                                   params={"as_of": "2020-01-01"})
    assert pq.read_table(io.BytesIO(empty.content)).num_rows == 0
    for bad in ("/api/reports/public/snapshots/accounts.csv",
                "/api/reports/public/snapshots/stations.xlsx"):
        assert (await reports.http.get(bad)).status_code == 404
    assert (await reports.http.get("/api/reports/public/snapshots/stations.csv",
                                   params={"as_of": "yesterday"})).status_code == 422


async def test_public_change_feed_by_sequence(reports: Harness) -> None:
    await history(reports)
    first = (await reports.http.get("/api/reports/public/changes", params={"limit": 2})).json()
    assert first["total"] == 6
    assert [(c["kind"], c["change"]) for c in first["items"]] == [
        ("licence", "granted"), ("stations", "replace")]
    after = first["items"][-1]["seq"]
    rest = (await reports.http.get("/api/reports/public/changes",
                                   params={"after": after})).json()
    assert [(c["kind"], c["change"]) for c in rest["items"]] == [
        ("stations", "replace"), ("licence", "transferred"), ("stations", "NOSTATIONS"),
        ("licence", "suspended")]
    assert rest["items"][1]["data"]["licensee_name"] == "Northern Wireless 2027 Inc."
    assert "account_number" not in rest["items"][1]["data"]
    beyond = await reports.http.get("/api/reports/public/changes",
                                    params={"after": 2**63})
    assert beyond.status_code == 422
    assert beyond.headers["content-type"].startswith("application/problem+json")


async def test_event_contracts_are_served(reports: Harness) -> None:
    listing = (await reports.http.get("/api/reports/events", params={"limit": 500})).json()
    names = {d["name"] for d in listing["items"]}
    assert "asyncapi.json" in names and "schemas/sitedata.stations.replaced.v1.json" in names
    asyncapi = await reports.http.get("/api/reports/events/asyncapi.json")
    assert asyncapi.status_code == 200 and "asyncapi" in asyncapi.json()
    schema = await reports.http.get("/api/reports/events/schemas/licensing.licence.granted.v1.json")
    assert schema.json()["title"]
    for bad in ("../../pyproject.toml", "schemas/../../../README.md", "nope.json"):
        assert (await reports.http.get(f"/api/reports/events/{bad}")).status_code == 404
