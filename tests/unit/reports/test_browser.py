"""The public Site Data Browser on known data: every filter, the distance search, paging, CSV
and the offline map; contacts never leave."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from services.reports.handlers.stations import json_batches
from shared.events import licensing as le
from shared.events import sitedata as se
from tests.unit.reports.conftest import Harness

APPLIED = datetime(2026, 11, 5, 13, tzinfo=UTC)
# (licence, location, province, lat, lon, technology, tx, rx)
KNOWN = [
    ("010898101", "Ottawa Tower", "ON", 45.4215, -75.6972, "LTE", 1935.5, 1855.5),
    ("010898101", "Gatineau Hill", "QC", 45.4765, -75.7013, "LTE", 2110.0, None),
    ("010898101", "Kingston Water", "ON", 44.2312, -76.4860, "NR", 3500.0, 3500.0),
    ("010898199", "Montreal Centre", "QC", 45.5019, -73.5674, "LTE", 1940.0, 1860.0),
    ("010898199", "Regina Grain_100%", "SK", 50.4452, -104.6189, "NR", None, 600.0),
]


def row(licence: str, location: str, province: str, lat: float, lon: float, tech: str,
        tx: float | None, rx: float | None, line: int) -> dict[str, Any]:
    fields = [licence, "REF", "Jane Doe", "613-555-0100", "jane@example.ca", location] + [
        "X"] * 48
    return {"licence_number": licence, "location": location, "province": province,
            "latitude": lat, "longitude": lon, "technology": tech, "tx_frequency": tx,
            "rx_frequency": rx, "line": line, "fields": fields}


async def seed(reports: Harness) -> None:
    for number, name in (("010898101", "Northern Demo Wireless Inc."),
                         ("010898199", "Prairie Demo Telecom Ltd.")):
        await reports.publish(le.LicenceGrantedV1(
            licence_number=number, account_number="1", kind="spectrum", status="Granted",
            issued_on=date(2020, 4, 1), expires_on=date(2030, 3, 31), licensee_name=name))
    for licence in ("010898101", "010898199"):
        rows = [row(*k, line=n + 2) for n, k in enumerate(KNOWN) if k[0] == licence]
        key = await reports.put_stations(f"public/stations/{licence}/u1.jsonl", rows)
        await reports.publish(se.StationsReplacedV1(
            licence_number=licence, upload_id="u1", applied_at=APPLIED, mode="replace",
            station_count=len(rows), record_count=len(rows), object_key=key))
    await reports.publish(se.UploadProcessedV1(
        upload_id="u1", profile_id="p", account_number="1", status="Processed", mode="replace",
        filename="f.csv", records=5, error_count=0, received_at=APPLIED, processed_at=APPLIED,
        licences={"010898101": 3}))


async def search(reports: Harness, **params: Any) -> dict[str, Any]:
    response = await reports.http.get("/api/reports/public/stations", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def locations(body: dict[str, Any]) -> list[str]:
    return [i["location"] for i in body["items"]]


async def test_each_filter_on_known_data(reports: Harness) -> None:
    await seed(reports)
    everything = await search(reports)
    assert everything["total"] == 5
    assert set(locations(await search(reports, licence="010898199"))) == {
        "Montreal Centre", "Regina Grain_100%"}
    assert len(locations(await search(reports, licensee="prairie"))) == 2
    assert locations(await search(reports, location="tower")) == ["Ottawa Tower"]
    assert locations(await search(reports, location="_100%")) == ["Regina Grain_100%"]
    assert locations(await search(reports, location="%")) == ["Regina Grain_100%"]
    assert set(locations(await search(reports, province="qc"))) == {"Gatineau Hill",
                                                                    "Montreal Centre"}
    assert set(locations(await search(reports, technology="NR"))) == {"Kingston Water",
                                                                      "Regina Grain_100%"}
    band = await search(reports, freq_min=1900, freq_max=2000)
    assert set(locations(band)) == {"Ottawa Tower", "Montreal Centre"}
    assert locations(await search(reports, freq_max=700)) == ["Regina Grain_100%"]
    both = await search(reports, province="ON", technology="LTE")
    assert locations(both) == ["Ottawa Tower"]


async def test_distance_search_returns_the_nearest_first(reports: Harness) -> None:
    await seed(reports)
    near = await search(reports, lat=45.4215, lon=-75.6972, radius_km=10)
    assert locations(near) == ["Ottawa Tower", "Gatineau Hill"]
    assert near["items"][0]["distance_km"] == 0.0
    assert 5.5 < near["items"][1]["distance_km"] < 6.5
    wider = await search(reports, lat=45.4215, lon=-75.6972, radius_km=200)
    assert locations(wider) == ["Ottawa Tower", "Gatineau Hill", "Kingston Water",
                                "Montreal Centre"]
    paged = await search(reports, lat=45.4215, lon=-75.6972, radius_km=200, limit=2, offset=2)
    assert locations(paged) == ["Kingston Water", "Montreal Centre"] and paged["total"] == 4


async def test_results_page_and_show_the_last_upload_without_contacts(reports: Harness) -> None:
    await seed(reports)
    first = await search(reports, limit=2)
    assert len(first["items"]) == 2 and first["total"] == 5
    item = first["items"][0]
    assert item["licensee_name"] == "Northern Demo Wireless Inc."
    assert item["last_upload"] == "2026-11-05"
    assert item["fields"][2:5] == ["", "", ""]
    raw = (await reports.http.get("/api/reports/public/stations")).text
    assert "Jane Doe" not in raw and "jane@example.ca" not in raw and "613-555" not in raw


async def test_bad_searches_are_problems_not_errors(reports: Harness) -> None:
    for params in ({"lat": 45}, {"freq_min": 2000, "freq_max": 1000},
                   {"lat": 45, "lon": -75, "radius_km": -1}, {"limit": 0}):
        response = await reports.http.get("/api/reports/public/stations", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_csv_export_and_offline_map(reports: Harness) -> None:
    await seed(reports)
    export = await reports.http.get("/api/reports/public/stations.csv",
                                    params={"province": "ON"})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0][:3] == ["licensee_name", "last_upload", "A"] and "C" not in rows[0]
    assert len(rows) == 3 and "Jane Doe" not in export.text
    picture = await reports.http.get("/api/reports/public/stations/map.svg",
                                     params={"lat": 45.4215, "lon": -75.6972, "radius_km": 200})
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert picture.text.startswith("<svg") and picture.text.count('class="station"') == 4
    assert "Ottawa Tower" in picture.text


async def test_public_licence_list(reports: Harness) -> None:
    await seed(reports)
    body = (await reports.http.get("/api/reports/public/licences")).json()
    assert body["total"] == 2
    first = body["items"][0]
    assert (first["licence_number"], first["last_upload"], first["station_rows"]) == (
        "010898101", "2026-11-05", 3)
    assert "account_number" not in first


async def test_a_large_station_set_is_read_in_batches(reports: Harness) -> None:
    rows = [row("010898101", f"Mast {n}", "ON", 45.0, -75.0, "LTE", 1935.5, None, line=n + 2)
            for n in range(2500)]
    key = await reports.put_stations("public/stations/010898101/big.jsonl", rows)
    await reports.publish(se.StationsReplacedV1(
        licence_number="010898101", upload_id="big", applied_at=APPLIED, mode="replace",
        station_count=2500, record_count=2500, object_key=key))
    body = await search(reports, licence="010898101", limit=1, offset=2499)
    assert body["total"] == 2500 and locations(body) == ["Mast 2499"]


class TinyChunks:
    """A store that hands an object out seven bytes at a time."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def iter_chunks(self, key: str, chunk_size: int = 7) -> Iterator[bytes]:
        return iter([self.data[i:i + 7] for i in range(0, len(self.data), 7)])


async def test_lines_split_across_chunks_are_joined() -> None:
    rows = [{"licence_number": "L", "location": f"Site {n}"} for n in range(1500)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    batches = [b async for b in json_batches(TinyChunks(data), "k")]  # type: ignore[arg-type]
    assert [len(b) for b in batches] == [1000, 500]
    assert [r["location"] for b in batches for r in b] == [f"Site {n}" for n in range(1500)]
