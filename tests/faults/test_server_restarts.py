"""Restart the broker (tansu keeping its log on S3) during a burst of events, and PostgreSQL
under traffic: no event is lost, and every service reconnects and carries on.

One real stack for the module, its broker on S3 storage so that a restart keeps the log and
the committed offsets."""

from __future__ import annotations

import asyncio
import contextlib
import time

import httpx

from services.gateway.stack import Stack
from tests.faults.redeliver import settle
from tests.faults.support import processed_events, scalar, signed_in, statuses, until
from tests.support.journey import FINAL, upload
from tests.support.sitedata_files import valid_file

KAFKA_STORAGE = "s3"
LICENCES = ("010898101", "010898102", "010898103", "010898104")


async def burst(http: httpx.AsyncClient, headers: dict[str, str], count: int) -> list[str]:
    ids = []
    for n in range(count):
        response = await upload(http, headers, valid_file(LICENCES[n % 4], 2), mode="append")
        assert response.status_code == 202, response.text
        ids.append(response.json()["id"])
    return ids


async def all_processed(stack: Stack, http: httpx.AsyncClient, headers: dict[str, str],
                        ids: list[str], timeout: float) -> None:
    async def done() -> bool:
        found = await statuses(http, headers, ids)
        return len(found) == len(ids) and set(found.values()) <= FINAL

    await until(done, timeout, "every upload ending")
    assert set((await statuses(http, headers, ids)).values()) == {"Processed"}
    for upload_id in ids:
        assert processed_events(stack, upload_id) == 1


def reported(stack: Stack, ids: list[str]) -> int:
    """Uploads the reports service has heard of (through three hops of events)."""
    return sum(scalar(stack, "reports", "select count(*) from upload_log where upload_id = %s",
                      upload_id) for upload_id in ids)


async def test_restarting_the_broker_during_a_burst_of_events_loses_none(stack: Stack) -> None:
    stack.mail.clear()
    async with httpx.AsyncClient(base_url=stack.url, timeout=60) as http:
        headers = await signed_in(http, stack)
        ids = await burst(http, headers, 6)
        stack.kafka.restart()  # the relays and consumers are mid-flight
        ids += await burst(http, headers, 4)  # the outbox keeps them while the broker is back
        await all_processed(stack, http, headers, ids, 150)
    await stack.mail.wait_for_async(len(ids), timeout=90)
    for upload_id in ids:
        assert sum(upload_id in (m.text or "") for m in stack.mail.messages) == 1

    async def all_reported() -> bool:
        return reported(stack, ids) == len(ids)

    await until(all_reported, 90, "the reports service hearing of every upload")
    await settle(stack)


async def test_restarting_postgres_under_traffic_services_reconnect_and_carry_on(
        stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        headers = await signed_in(http, stack)
        before = await burst(http, headers, 3)
        answers: list[tuple[float, int]] = []  # (when the read was sent, its status)
        stop = asyncio.Event()

        async def reads() -> None:
            while not stop.is_set():
                with contextlib.suppress(httpx.HTTPError):
                    sent = time.monotonic()
                    response = await http.get("/api/sitedata/uploads", headers=headers)
                    answers.append((sent, response.status_code))
                await asyncio.sleep(0.05)

        reader = asyncio.create_task(reads())
        await asyncio.sleep(1)
        started = time.monotonic()
        await asyncio.to_thread(stack.pg.restart)
        assert time.monotonic() - started < 60

        async def answered() -> bool:
            return (await http.get("/api/sitedata/uploads", headers=headers)).status_code == 200

        await until(answered, 30, "the sitedata API answering again")
        recovered = time.monotonic()
        await asyncio.sleep(1)  # reads go on after the recovery
        stop.set()
        await reader
        after = await burst(http, headers, 3)
        await all_processed(stack, http, headers, before + after, 150)
    codes = [code for _, code in answers]
    assert all(code in (200, 503) for code in codes), sorted(set(codes))
    # a read sent while PostgreSQL was down may come back 503 after the recovery; every read
    # sent after it is answered
    late = [code for sent, code in answers if sent >= recovered]
    assert codes.count(200) > 0 and late and all(code == 200 for code in late), late
