"""End to end: a licensee's monthly site-data file from upload to the receipt e-mail.

    .venv/bin/python -m benchmarks.e2e [--embedded] [--shape minimal] [--rows 164000]
    .venv/bin/python -m benchmarks.e2e --surge [--accounts 50] [--file-mb 1] [--consumer-cpu 0.25]

Starts the real stack on free ports (PostgreSQL, tansu, moto, the SMTP sink, nginx, every
service as its own processes), or with ``--embedded`` the system ``make run`` starts, signs
in as the demo licensee and uploads a generated file of the demo account's four licences (59
MB, 164,000 rows, shaped like a spreadsheet tool's: see ``gen_sitedata.SHAPES``) with Replace.
Prints one JSON line: each phase (receive: the POST; validate: to the end of checking, which
writes the rows as it goes; apply; reports: until the public station search shows the new
stations; email: until the receipt is in the mailbox), the end-to-end seconds, and the peak
RSS of every process.

``--neighbour``: meanwhile another account uploads a small file every two seconds and reads
ten times a second; its figures say whether anybody waits behind the big file.

``--surge`` is the month-end rush: ``--accounts`` accounts each upload a ``--file-mb`` file at
the same moment; it runs on a stack with one sitedata consume process, then on a fresh one
with two, and prints both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.e2e_neighbour import Neighbour
from benchmarks.e2e_support import (
    RssSampler,
    bench_file,
    embedded_server,
    maildir_has,
    pct,
    stack_pids,
    upload_form,
)
from services.gateway.demo_ready import PASSWORD, USER
from services.gateway.stack import Stack

FINAL = {"Processed", "Errors Found"}
DEMO_LICENCES = ("010898101", "010898102", "010898103", "010898104")


def _at(text: str | None) -> float:
    return datetime.fromisoformat(text).timestamp() if text else 0.0


async def sign_in(http: aiohttp.ClientSession) -> dict[str, str]:
    async with http.post("/api/identity/token",
                         data={"username": USER, "password": PASSWORD}) as response:
        body = await response.json()
    return {"Authorization": f"Bearer {body['access_token']}"}


async def until(check: Callable[[], Any], timeout: float, what: str) -> float:
    """Poll ``check`` (async) every 0.1 s; the wall time it first held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():
            return time.time()
        await asyncio.sleep(0.1)
    raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")


async def journey(url: str, path: Path, expected: dict[str, int],
                  mail_about: Callable[[str], bool], timeout: float = 600,
                  neighbour: bool = False) -> dict[str, Any]:
    """The big upload's journey; with ``neighbour``, another account works beside it."""
    if not neighbour:
        return await big_journey(url, path, expected, mail_about, timeout)
    with tempfile.TemporaryDirectory() as folder:
        other = Neighbour(url, Path(folder))
        await other.ready()
        stop = asyncio.Event()
        beside = asyncio.create_task(other.run(stop))
        try:
            result = await big_journey(url, path, expected, mail_about, timeout)
        finally:
            stop.set()
            await beside
    return {**result, "neighbour": other.figures()}


async def big_journey(url: str, path: Path, expected: dict[str, int],
                      mail_about: Callable[[str], bool], timeout: float) -> dict[str, Any]:
    async with aiohttp.ClientSession(base_url=url,
                                     timeout=aiohttp.ClientTimeout(total=timeout)) as http:
        headers = await sign_in(http)
        started = time.time()
        with path.open("rb") as handle:
            async with http.post("/api/sitedata/uploads", headers=headers,
                                 data=upload_form(handle, path.name)) as response:
                accepted = await response.json()
                if response.status != 202:
                    raise RuntimeError(f"upload refused: {response.status} {accepted}")
        received = time.time()
        upload_id = accepted["id"]
        seen: dict[str, Any] = {}

        async def ended() -> bool:
            async with http.get(f"/api/sitedata/uploads/{upload_id}", headers=headers) as r:
                seen.update(await r.json())
            return seen["status"] in FINAL

        ended_at = await until(ended, timeout, "the upload ending")
        if seen["status"] != "Processed":
            raise RuntimeError(f"the upload ended {seen['status']}: {seen}")
        licence, count = next(iter(expected.items()))

        async def searchable() -> bool:
            async with http.get("/api/reports/public/stations",
                                params={"licence": licence, "limit": "1"}) as r:
                return r.status == 200 and (await r.json())["total"] == count

        async def mailed() -> bool:
            return await asyncio.to_thread(mail_about, upload_id)

        reported_at, mailed_at = await asyncio.gather(
            until(searchable, timeout, "the public station search"),
            until(mailed, timeout, "the receipt e-mail"))
    validated, processed = _at(seen.get("validated_at")), _at(seen.get("processed_at"))
    return {
        "rows": seen["records"], "bytes": path.stat().st_size, "status": seen["status"],
        "phases_s": {
            "receive": round(received - started, 2),
            "validate": round(validated - received, 2),
            "apply": round(processed - validated, 2),
            "reports": round(reported_at - processed, 2),
            "email": round(mailed_at - processed, 2),
        },
        "processed_s": round(max(ended_at, processed) - started, 2),
        "end_to_end_s": round(max(ended_at, reported_at, mailed_at) - started, 2),
    }


def run_stack(args: argparse.Namespace) -> dict[str, Any]:
    written = bench_file(args.shape, args.rows, DEMO_LICENCES)
    with tempfile.TemporaryDirectory(prefix="sms-e2e-") as folder:
        stack = Stack(Path(folder), front="nginx", replicas={"sitedata": args.consumers})
        try:
            stack.start()
            with RssSampler(stack_pids(stack)) as rss:
                result = asyncio.run(journey(
                    stack.url, written.path, written.per_licence,
                    lambda upload_id: any(upload_id in (m.text or "")
                                          for m in stack.mail.messages),
                    neighbour=args.neighbour))
        finally:
            stack.stop()
    return {"mode": "stack", "shape": args.shape, **result, "cpu_s": rss.cpu_s(),
            "peak_rss_mb": rss.peaks(),
            "max_service_rss_mb": rss.max_of(lambda name: "-" in name and "nginx" not in name)}


def run_embedded(args: argparse.Namespace) -> dict[str, Any]:
    written = bench_file(args.shape, args.rows, DEMO_LICENCES)
    with tempfile.TemporaryDirectory(prefix="sms-e2e-") as folder, \
            embedded_server(Path(folder)) as (url, pid), RssSampler({"embedded": pid}) as rss:
        result = asyncio.run(journey(url, written.path, written.per_licence,
                                     lambda upload_id: maildir_has(Path(folder), upload_id),
                                     neighbour=args.neighbour))
    return {"mode": "embedded", "shape": args.shape, **result, "cpu_s": rss.cpu_s(),
            "peak_rss_mb": rss.peaks(),
            "max_service_rss_mb": rss.max_of(lambda name: True)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.e2e", description=__doc__.split("\n")[0])
    parser.add_argument("--embedded", action="store_true")
    parser.add_argument("--surge", action="store_true")
    parser.add_argument("--neighbour", action="store_true",
                        help="another account uploads small files and reads meanwhile")
    parser.add_argument("--shape", default="minimal")
    parser.add_argument("--rows", type=int, default=164_000)
    parser.add_argument("--consumers", type=int, default=1, help="sitedata consume processes")
    parser.add_argument("--accounts", type=int, default=50, help="--surge: accounts")
    parser.add_argument("--file-mb", type=float, default=1.0, help="--surge: each file's size")
    parser.add_argument("--consumer-cpu", type=float, default=0.0,
                        help="--surge: each sitedata consume process limited to this share of "
                             "a core (a cgroup quota, as a pod's CPU limit; 0: none)")
    args = parser.parse_args(argv)
    if args.surge:
        from benchmarks.e2e_surge import run_surge

        result = run_surge(args)
    elif args.embedded:
        result = run_embedded(args)
    else:
        result = run_stack(args)
    print(json.dumps(result))
    sys.stdout.flush()
    return 0


__all__ = ["main", "pct"]

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
