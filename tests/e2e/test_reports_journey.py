"""The reports across the whole embedded system: a licensee's upload reaches the status report,
the public browser, the change feed, the snapshots and the operations dashboard, all through
events (with a controlled clock)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from services.gateway.app import create_app
from services.gateway.embedded import EmbeddedOptions, EmbeddedSystem
from shared.clock import FixedClock
from tests.support.journey import token, upload, wait_final
from tests.support.sitedata_files import valid_file

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
async def fixed(tmp_path: Path) -> AsyncIterator[tuple[EmbeddedSystem, httpx.AsyncClient]]:
    system = EmbeddedSystem(EmbeddedOptions(var_dir=tmp_path / "var", clock=FixedClock(NOW),
                                            base_url="http://testserver"))
    await system.start()
    app = create_app(system.services, ready=lambda: system.ready)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as http:
        yield system, http
    await system.stop()


async def test_an_upload_reaches_every_report(
        fixed: tuple[EmbeddedSystem, httpx.AsyncClient]) -> None:
    system, http = fixed
    licensee = await token(http)
    officer = await token(http, "demo.officer", "Demo-Officer-2026!")
    url = "/api/reports/accounts/100000001/status-report"
    before = (await http.get(url, headers=licensee)).json()
    lines = {x["licence_number"]: x for x in before["licences"]["items"]}
    assert set(lines) == {f"01089810{n}" for n in range(1, 6)}
    assert lines["010898101"]["next_due"] == "2024-11-30" and lines["010898101"]["overdue"]
    assert lines["010898105"]["must_upload"] is False  # expired

    accepted = await upload(http, licensee, valid_file("010898101", stations=2))
    assert (await wait_final(http, licensee, accepted.json()["id"]))["status"] == "Processed"
    await system.settle()

    after = {x["licence_number"]: x for x in
             (await http.get(url, headers=licensee)).json()["licences"]["items"]}
    assert (after["010898101"]["last_upload"], after["010898101"]["next_due"],
            after["010898101"]["records_on_file"]) == ("2026-11-05", "2026-12-31", 4)
    # replace mode emptied the account's other licences: filed only if in the file
    assert after["010898102"]["records_on_file"] == 0 and after["010898102"]["overdue"]
    assert (await http.get("/api/reports/accounts/100000002/status-report",
                           headers=licensee)).status_code == 404

    stations = (await http.get("/api/reports/public/stations",
                               params={"licence": "010898101"})).json()
    assert stations["total"] == 4
    assert stations["items"][0]["licensee_name"] == "Northern Demo Wireless Inc."
    raw = (await http.get("/api/reports/public/stations.csv")).text
    assert "Jane Doe" not in raw and "jane.doe@example.ca" not in raw and "Site 0" in raw

    feed = (await http.get("/api/reports/public/changes", params={"limit": 500})).json()
    assert any(c["kind"] == "stations" and c["licence_number"] == "010898101"
               for c in feed["items"])
    snap = await http.get("/api/reports/public/snapshots/stations.csv",
                          params={"as_of": "2026-11-05"})
    assert len(list(csv.reader(io.StringIO(snap.text)))) == 5

    board = (await http.get("/api/reports/operations/dashboard", headers=officer)).json()
    assert board["uploads_per_day"] == [{"day": "2026-11-05", "status": "Processed",
                                         "uploads": 1}]
    assert board["overdue_licences"] >= 3
