"""An API client may wait for its upload to end (``?wait=`` seconds, a long poll) instead of
asking every second: one request answers with the final status as soon as there is one."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from services.gateway.embedded import EmbeddedSystem
from tests.support.journey import token, upload
from tests.support.sitedata_files import special_row, station_row, to_csv


@pytest.fixture
async def headers(client: httpx.AsyncClient) -> dict[str, str]:
    return await token(client)


async def test_one_waiting_request_answers_with_the_end(
        client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    sent = await upload(client, headers, to_csv([station_row("010898101", "A"),
                                                 station_row("010898101", "B", lat="45.2")]))
    upload_id = sent.json()["id"]
    answer = await client.get(f"/api/sitedata/uploads/{upload_id}", headers=headers,
                              params={"wait": "30"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "Processed"
    assert answer.json()["progress"]["percent"] == 100
    assert answer.json()["processed_at"] is not None


async def test_every_client_waiting_on_an_upload_is_answered(
        client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    sent = await upload(client, headers, to_csv([special_row("010898102", "NOSTATIONS"),
                                                 station_row("010898199", "X")]))
    path = f"/api/sitedata/uploads/{sent.json()['id']}"
    answers = await asyncio.gather(*(client.get(path, headers=headers, params={"wait": "30"})
                                     for _ in range(3)))
    assert [a.json()["status"] for a in answers] == ["Errors Found"] * 3


async def test_waiting_ends_with_the_time_asked_for_and_then_nothing_is_watched(
        system: EmbeddedSystem) -> None:
    ends = system.service("sitedata").context.ends  # type: ignore[attr-defined]
    await asyncio.wait_for(ends.wait("no-such-upload", 0.3), timeout=10)  # never ends
    for _ in range(50):  # the watcher stops asking the database once nobody waits
        if not ends.watching:
            break
        await asyncio.sleep(0.1)
    assert not ends.watching


@pytest.mark.parametrize("wait", ["-1", "31", "soon", "NaN", "inf"])
async def test_a_wait_out_of_bounds_is_a_problem_document(
        client: httpx.AsyncClient, headers: dict[str, str], wait: str) -> None:
    sent = await upload(client, headers, to_csv([station_row("010898103", "A")]))
    answer = await client.get(f"/api/sitedata/uploads/{sent.json()['id']}", headers=headers,
                              params={"wait": wait})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_waiting_on_another_profiles_upload_is_not_found_at_once(
        client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    answer = await asyncio.wait_for(client.get("/api/sitedata/uploads/not-mine", headers=headers,
                                               params={"wait": "30"}), timeout=5)
    assert answer.status_code == 404


async def test_a_stopping_service_answers_every_wait_at_once(system: EmbeddedSystem) -> None:
    service = system.service("sitedata")
    waiting = asyncio.create_task(service.context.ends.wait(  # type: ignore[attr-defined]
        "no-such-upload", 30))
    await asyncio.sleep(0.2)
    service.stopping()
    await asyncio.wait_for(waiting, timeout=2)
    await asyncio.wait_for(service.context.ends.wait(  # type: ignore[attr-defined]
        "no-such-upload", 30), timeout=2)  # and a wait asked for after it returns at once


async def test_among_a_thousand_waits_the_ended_upload_is_answered(
        system: EmbeddedSystem, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    sent = await upload(client, headers, to_csv([station_row("010898104", "A")]))
    upload_id = sent.json()["id"]
    ends = system.service("sitedata").context.ends  # type: ignore[attr-defined]
    others = [asyncio.create_task(ends.wait(f"pending-{n}", 20)) for n in range(1_100)]
    try:
        await asyncio.wait_for(ends.wait(upload_id, 20), timeout=10)
        assert not any(task.done() for task in others)  # theirs have not ended
    finally:
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
