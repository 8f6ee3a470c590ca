"""The bulk pipeline as a licensee sees it: every upload keeps the stations it sent, the
receipt's times, the progress, the public copy that leaves contacts out, and an upload the
service cannot finish ending with a clear error and its e-mail (never stuck)."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from services.gateway.embedded import EmbeddedSystem
from services.sitedata.adapters import tables as t
from shared.stationrows import COLUMNS, gunzipped
from tests.support.journey import token, upload, wait_final
from tests.support.sitedata_files import station_row, to_csv


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> dict[str, str]:
    return await token(client)


def sites(licence: str, *names: str, lon: str = "-75.6972") -> list[list[str]]:
    return [station_row(licence, name, lat=f"45.{10 + n}", lon=lon)
            for n, name in enumerate(names)]


async def filed(client: httpx.AsyncClient, headers: dict[str, str], rows: list[list[str]],
                mode: str = "replace") -> dict[str, object]:
    response = await upload(client, headers, to_csv(rows), mode=mode)
    assert response.status_code == 202, response.text
    return await wait_final(client, headers, response.json()["id"])


async def test_an_earlier_upload_keeps_its_stations_after_a_later_replace(
        client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    first = await filed(client, headers, sites("010898101", "A", "B"))
    await filed(client, headers, sites("010898101", "C"))
    listed = await client.get(f"/api/sitedata/uploads/{first['id']}/stations", headers=headers)
    assert listed.json()["total"] == 2
    assert [s["location"] for s in listed.json()["items"]] == ["A", "B"]
    page = await client.get(f"/api/sitedata/uploads/{first['id']}/stations.csv",
                            headers=headers)
    assert page.status_code == 200
    rows = list(csv.reader(io.StringIO(page.text)))
    assert rows[0][0] == "Spectrum licence number" and len(rows) == 3
    assert [r[5] for r in rows[1:]] == ["A", "B"]
    assert rows[1][12] == "-75.6972"  # a number stays a number (no leading apostrophe)


async def test_processed_at_is_when_the_stations_were_applied_and_progress_is_whole(
        client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    done = await filed(client, headers, sites("010898102", "A", "B", "C"))
    assert done["validated_at"] is not None and done["processed_at"] is not None
    assert str(done["processed_at"]) >= str(done["validated_at"]) >= str(done["received_at"])
    assert done["progress"] == {"phase": "done", "rows_checked": 3, "rows_applied": 3,
                                "percent": 100}


async def test_the_public_copy_holds_every_row_and_no_contact(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    done = await filed(client, headers, sites("010898103", "A", "B"))
    async with system.service("sitedata").uows.reading() as db:
        key = (await db.execute(select(t.uploads.c.public_key).where(
            t.uploads.c.id == done["id"]))).scalar_one()
    data = b"".join(gunzipped(system.infra.store.iter_chunks(key))).decode()
    rows = list(csv.reader(io.StringIO(data)))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 3
    fields = next(csv.reader([rows[1][-1]]))
    assert fields[:6] == ["010898103", "REF-1", "", "", "", "A"]
    assert "Jane Doe" not in data and "jane.doe@example.ca" not in data


async def test_the_upload_event_is_keyed_by_account_so_an_accounts_uploads_stay_in_order(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    done = await filed(client, headers, sites("010898104", "A"))
    async with system.service("sitedata").uows.reading() as db:
        keys = (await db.execute(select(t.tables.outbox.c.key).where(
            t.tables.outbox.c.envelope.like(f'%"upload_id":"{done["id"]}"%'),
            t.tables.outbox.c.topic == "sitedata.uploads"))).scalars().all()
    assert sorted(keys) == sorted(["100000001", str(done["id"])])  # received; processed


async def test_a_file_the_service_cannot_read_ends_errors_found_with_a_mail(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    checker = system.service("sitedata").checker  # type: ignore[attr-defined]
    monkeypatch.setattr(checker, "settings", dataclasses.replace(
        checker.settings, max_attempts=2, retry_backoff_s=0.05))

    def broken(key: str, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        raise OSError("the disk went away")

    monkeypatch.setattr(system.infra.store, "iter_chunks", broken)
    response = await upload(client, headers, to_csv(sites("010898101", "A")))
    body = await wait_final(client, headers, response.json()["id"], timeout=30)
    assert body["status"] == "Errors Found"
    errors = (await client.get(f"/api/sitedata/uploads/{body['id']}/errors",
                               headers=headers)).json()["items"]
    assert [e["code"] for e in errors] == ["SD-PROCESSING-FAILED"]
    assert "2 attempts" in errors[0]["message"]
    await system.settle()
    await system.service("notifications").sender.run_once()  # type: ignore[attr-defined]
    assert any(str(body["id"]) in (m.text or "") for m in system.mail.messages)
