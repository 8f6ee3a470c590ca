"""kill -9 the sitedata consumer while uploads are being validated and applied, repeatedly,
then deliver every event of every topic a second time: each upload still ends exactly once,
with every station stored once and one e-mail.

One real stack for the module (tansu in memory: no broker restart here)."""

from __future__ import annotations

import asyncio
import random

import httpx
import psycopg

from services.gateway.stack import Stack
from tests.faults.redeliver import DATABASES, redeliver_everything, settle
from tests.faults.support import processed_events, scalar, signed_in, statuses, until
from tests.support.journey import FINAL, upload
from tests.support.sitedata_files import valid_file

LICENCES = ("010898101", "010898102", "010898103", "010898104")


def mails_about(stack: Stack, upload_id: str) -> int:
    return sum(upload_id in (m.text or "") for m in stack.mail.messages)


def stations_of(stack: Stack, upload_id: str) -> int:
    return scalar(stack, "sitedata", "select count(*) from stations where upload_id = %s",
                  upload_id)


async def kill_while_busy(stack: Stack, http: httpx.AsyncClient, headers: dict[str, str],
                          ids: list[str], kills: int, pause: tuple[float, float]) -> int:
    """kill -9 and restart the sitedata consumer up to ``kills`` times while any upload is
    unfinished; returns how many kills hit unfinished work."""
    done = 0
    rng = random.Random(9)
    for _ in range(kills):
        await asyncio.sleep(rng.uniform(*pause))
        if set((await statuses(http, headers, ids)).values()) <= FINAL:
            break
        stack.kill("sitedata", "consume")
        stack.restart("sitedata", "consume")
        done += 1
    return done


async def finish(stack: Stack, http: httpx.AsyncClient, headers: dict[str, str],
                 ids: list[str], timeout: float) -> None:
    async def all_final() -> bool:
        found = await statuses(http, headers, ids)
        return len(found) == len(ids) and set(found.values()) <= FINAL

    await until(all_final, timeout, "every upload ending")


async def assert_each_ended_once(stack: Stack, http: httpx.AsyncClient,
                                 headers: dict[str, str], rows: dict[str, int]) -> None:
    for upload_id, count in rows.items():
        body = (await http.get(f"/api/sitedata/uploads/{upload_id}", headers=headers)).json()
        assert body["status"] == "Processed", body
        assert body["records"] == count
        assert stations_of(stack, upload_id) == count  # none lost, none doubled
        assert processed_events(stack, upload_id) == 1  # ended once
    await stack.mail.wait_for_async(len(rows), timeout=90)
    for upload_id in rows:
        assert mails_about(stack, upload_id) == 1, upload_id


async def test_killing_the_consumer_during_many_small_uploads_loses_and_doubles_nothing(
        stack: Stack) -> None:
    stack.mail.clear()
    async with httpx.AsyncClient(base_url=stack.url, timeout=60) as http:
        headers = await signed_in(http, stack)
        rows: dict[str, int] = {}
        for n in range(8):  # big enough that the checker is still busy at the first kill
            stations = 1500 + 100 * n
            response = await upload(http, headers, valid_file(LICENCES[n % 4], stations),
                                    mode="append")
            assert response.status_code == 202, response.text
            rows[response.json()["id"]] = 2 * stations
        assert await kill_while_busy(stack, http, headers, list(rows), 3, (0.05, 0.4)) >= 1
        await finish(stack, http, headers, list(rows), 150)
        await assert_each_ended_once(stack, http, headers, rows)


async def test_killing_the_consumer_in_the_middle_of_a_large_upload_loses_nothing(
        stack: Stack) -> None:
    stack.mail.clear()
    async with httpx.AsyncClient(base_url=stack.url, timeout=120) as http:
        headers = await signed_in(http, stack)
        response = await upload(http, headers, valid_file("010898102", 6000), mode="append")
        assert response.status_code == 202, response.text
        upload_id = response.json()["id"]
        await kill_while_busy(stack, http, headers, [upload_id], 3, (0.5, 2.5))
        await finish(stack, http, headers, [upload_id], 180)
        await assert_each_ended_once(stack, http, headers, {upload_id: 12000})


async def test_every_event_delivered_twice_has_no_second_effect(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.url, timeout=60) as http:
        headers = await signed_in(http, stack)
        response = await upload(http, headers, valid_file("010898103", 2), mode="append")
        await finish(stack, http, headers, [response.json()["id"]], 90)
    await stack.mail.wait_for_async(1, timeout=60)
    await settle(stack)
    await asyncio.sleep(3)  # the mail sender runs after its consumer's commit
    before = effects(stack)
    mails = len(stack.mail.messages)
    copied = await redeliver_everything(stack)  # returns once every group read the copies
    assert copied > 0
    await asyncio.sleep(3)  # the mail sender runs after its consumer's commit
    after = effects(stack)
    assert after == before
    assert len(stack.mail.messages) == mails


def inbox_total(stack: Stack) -> int:
    return sum(scalar(stack, name, "select count(*) from inbox") for name in DATABASES)


def effects(stack: Stack) -> dict[str, int]:
    """Counts of everything a consumer may write, in every service database."""
    found = {"inbox": inbox_total(stack)}
    for name in DATABASES:
        with psycopg.connect(stack.pg.dsn(name)) as connection:
            tables = [row[0] for row in connection.execute(
                "select tablename from pg_tables where schemaname = 'public' "
                "and tablename not in ('alembic_version', 'inbox')")]
            for table in tables:
                row = connection.execute(f'select count(*) from "{table}"').fetchone()
                found[f"{name}.{table}"] = int(row[0]) if row else 0
    return found
