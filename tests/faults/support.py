"""What the fault tests observe on the real stack: databases, mail, uploads."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
import psycopg

from services.gateway.stack import Stack
from tests.support.journey import token, upload
from tests.support.sitedata_files import valid_file


def scalar(stack: Stack, database: str, sql: str, *args: object) -> int:
    with psycopg.connect(stack.pg.dsn(database)) as connection:
        row = connection.execute(sql, args).fetchone()  # type: ignore[arg-type]
        return int(row[0]) if row and row[0] is not None else 0


def processed_events(stack: Stack, upload_id: str) -> int:
    """How many ``sitedata.upload.processed`` events the outbox holds for one upload."""
    return scalar(stack, "sitedata", "select count(*) from outbox where key = %s and "
                  "envelope like '%%sitedata.upload.processed%%'", upload_id)


async def until(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if await check():
                return
        except (httpx.HTTPError, psycopg.OperationalError):
            pass  # a server is restarting: look again
        await asyncio.sleep(0.25)
    raise AssertionError(f"{what} did not happen in {timeout:.0f}s")


async def signed_in(http: httpx.AsyncClient, stack: Stack) -> dict[str, str]:
    """The demo licensee's token, once sitedata's read model knows its licences."""
    headers = await token(http)

    async def ready() -> bool:
        probe = await upload(http, headers, valid_file("010898104", 1),
                             params={"dry_run": "true"})
        return probe.status_code == 202 and probe.json()["valid"] is True

    await until(ready, 90, "sitedata learning the demo licences")
    return headers


async def statuses(http: httpx.AsyncClient, headers: dict[str, str],
                   ids: list[str]) -> dict[str, str]:
    found = {}
    for upload_id in ids:
        response = await http.get(f"/api/sitedata/uploads/{upload_id}", headers=headers)
        if response.status_code == 200:
            found[upload_id] = response.json()["status"]
    return found
