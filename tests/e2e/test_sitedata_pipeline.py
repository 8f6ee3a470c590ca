"""What an upload does to the stations on file: Replace, Append, NOCHANGE, NOSTATIONS, the
registry checks, the door, the order of receipt, and recovery from a failure mid-apply."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from services.gateway.embedded import EmbeddedSystem
from services.sitedata.adapters.tables import licence_stations, stations
from tests.support.journey import token, upload, wait_final
from tests.support.sitedata_files import special_row, station_row, to_csv


async def on_file(system: EmbeddedSystem, licence: str) -> int:
    """Station rows on file for the licence (the rows of the uploads it points at)."""
    async with system.service("sitedata").uows() as uow:
        query = select(func.count()).select_from(stations.join(licence_stations, (
            licence_stations.c.upload_id == stations.c.upload_id) & (
            licence_stations.c.licence_number == stations.c.licence_number))).where(
            stations.c.licence_number == licence)
        return int((await uow.session.execute(query)).scalar_one())


async def filed(client: httpx.AsyncClient, headers: dict[str, str], rows: list[list[str]],
                mode: str = "replace") -> dict[str, Any]:
    response = await upload(client, headers, to_csv(rows), mode=mode)
    assert response.status_code == 202, response.text
    return await wait_final(client, headers, response.json()["id"])


def sites(licence: str, *names: str) -> list[list[str]]:
    return [station_row(licence, name, lat=f"45.{10 + n}") for n, name in enumerate(names)]


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> dict[str, str]:
    return await token(client)


async def test_replace_makes_the_account_hold_exactly_the_files_stations(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    await filed(client, headers, sites("010898101", "A", "B") + sites("010898102", "C"))
    assert (await on_file(system, "010898101"), await on_file(system, "010898102")) == (2, 1)
    result = await filed(client, headers, sites("010898101", "A"))
    assert result["status"] == "Processed"
    assert await on_file(system, "010898101") == 1
    assert await on_file(system, "010898102") == 0  # same account, absent from the file


async def test_nochange_keeps_a_licence_and_append_adds(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    await filed(client, headers, sites("010898101", "A") + sites("010898102", "B", "C"))
    await filed(client, headers, sites("010898101", "A", "D")
                + [special_row("010898102", "NOCHANGE")])
    assert (await on_file(system, "010898101"), await on_file(system, "010898102")) == (2, 2)
    await filed(client, headers, sites("010898101", "E"), mode="append")
    assert await on_file(system, "010898101") == 3
    await filed(client, headers, [special_row("010898101", "NOSTATIONS")], mode="append")
    assert await on_file(system, "010898101") == 0
    assert await on_file(system, "010898102") == 2


async def test_uploads_are_applied_in_the_order_received(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    first = await upload(client, headers, to_csv(sites("010898103", *"ABCDEFGH")))
    second = await upload(client, headers, to_csv(sites("010898103", "Z")), mode="append")
    for response in (first, second):
        assert (await wait_final(client, headers, response.json()["id"]))["status"] == "Processed"
    assert await on_file(system, "010898103") == 9


@pytest.mark.parametrize(("licence", "code"), [
    ("010898105", "SD-LIC-EXPIRED"),
    ("010898199", "SD-LIC-NOT-YOURS"),
    ("012345678", "SD-LIC-UNKNOWN"),
])
async def test_registry_checks_reject_the_whole_file(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str],
        licence: str, code: str) -> None:
    result = await filed(client, headers, sites("010898101", "A") + sites(licence, "X"))
    assert result["status"] == "Errors Found"
    errors = (await client.get(f"/api/sitedata/uploads/{result['id']}/errors",
                               headers=headers)).json()["items"]
    assert [(e["code"], e["line"], e["column"]) for e in errors] == [(code, 3, "A")]
    assert await on_file(system, "010898101") == 0  # nothing applied


@pytest.mark.parametrize(("name", "content", "status", "code"), [
    ("stations.xlsx", b"a,b\n", 415, "SD-F1"),
    ("stations.csv", b"PK\x03\x04rest-of-a-zip", 415, "SD-F1"),
    ("stations.csv", b"%PDF-1.7\n", 415, "SD-F1"),
    ("stations.csv", b"", 400, "SD-F7"),
])
async def test_the_door_refuses_what_is_not_a_csv(
        client: httpx.AsyncClient, headers: dict[str, str], name: str, content: bytes,
        status: int, code: str) -> None:
    response = await upload(client, headers, content, name=name)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"].startswith(code)


async def test_more_than_60_mb_is_refused_and_points_to_append(
        client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await upload(client, headers, b"x" * (61 * 1024 * 1024 + 10))
    assert response.status_code == 413
    assert "Append" in response.json()["fix"]


async def test_dry_run_says_what_would_change_and_applies_nothing(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    await filed(client, headers, sites("010898101", "A", "B"))
    response = await upload(client, headers, to_csv(sites("010898101", "A", "C", "D")),
                            params={"dry_run": "true"})
    assert response.status_code == 202, response.text
    preview = response.json()
    assert preview["valid"] is True
    by_licence = {item["licence_number"]: item for item in preview["licences"]}
    assert (by_licence["010898101"]["added"], by_licence["010898101"]["removed"],
            by_licence["010898101"]["unchanged"]) == (2, 1, 1)
    assert await on_file(system, "010898101") == 2
    listed = (await client.get("/api/sitedata/uploads", headers=headers)).json()
    assert listed["total"] == 1


async def test_error_report_csv_never_runs_a_formula(
        client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    row = station_row("010898101", "A")
    row[5] = "=HYPERLINK(\"x\")" + " "  # trailing space: an error that echoes the value
    result = await filed(client, headers, [row])
    report = await client.get(f"/api/sitedata/uploads/{result['id']}/errors.csv",
                              headers=headers)
    assert "'=HYPERLINK" in report.text
    assert ",=HYPERLINK" not in report.text


async def test_a_failure_while_checking_is_retried_and_applied_once(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    checker = system.service("sitedata").checker  # type: ignore[attr-defined]
    monkeypatch.setattr(checker, "settings", dataclasses.replace(checker.settings,
                                                                 retry_backoff_s=0.05))
    store = system.infra.store
    real = store.iter_chunks
    calls = {"n": 0}

    def flaky(key: str, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        if key.startswith("uploads/"):  # the upload itself (not its public copy)
            calls["n"] += 1
            if calls["n"] == 1:  # the first attempt's read
                raise OSError("disk went away")
        return real(key, chunk_size)

    monkeypatch.setattr(store, "iter_chunks", flaky)
    result = await filed(client, headers, sites("010898104", "A", "B", "C"))
    assert result["status"] == "Processed"
    assert calls["n"] == 2
    assert await on_file(system, "010898104") == 3
    await system.mail.wait_for_async(1)
    await system.settle()
    await system.service("notifications").sender.run_once()  # type: ignore[attr-defined]
    processed = [m for m in system.mail.messages if "processed" in m.subject.lower()]
    assert len(processed) == 1
