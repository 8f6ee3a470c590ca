"""Load on the real-stack topology: 20 uploads in flight for 20 accounts, plus API reads at a
fixed rate, for a fixed time (loopback only, bounded).

    .venv/bin/python -m benchmarks.load [--seconds 60] [--rate 200] [--uploads 20] [--rows 500]

Starts the same processes as ``make stack`` (PostgreSQL, tansu, moto, SMTP sink, every service
as api/consume/relay, the gateway), adds 20 client accounts with a Granted spectrum licence each
(through licensing's own handlers, so the events flow as in production), registers one web
profile per account, then for ``--seconds``: each profile keeps one upload in flight (upload,
wait until it ends, upload again) while reads are sent open-loop at ``--rate`` per second.
A client waits for its upload's end in one request (``?wait=``, a long poll); ``--poll``: it
asks once a second instead, so its times are whole seconds past the POST.
The clients' first uploads are spread over two seconds (``--lockstep``: all at once).
Prints one JSON line: reads (count, per second, p50/p95/p99 ms, errors), uploads (finished,
rows per second, p50/p95 seconds from upload to end, errors). Goal: 0 errors, read p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import aiohttp

from benchmarks.e2e_support import RssSampler, stack_pids
from services.gateway.catalog import entry
from services.gateway.stack import Stack
from services.licensing.handlers.registry import (
    NewAccount,
    NewLicence,
    create_account,
    grant_licence,
)
from shared.heap import freeze_startup_heap
from shared.messaging.memory import MemoryBus
from shared.runtime import Infrastructure
from shared.storage.local import LocalObjectStore
from tests.support.sitedata_files import valid_file

PASSWORD = "Bench-Passw0rd-2026!"
FINAL = {"Processed", "Errors Found"}
# an uploading client waits for its upload to end in one request (?wait=, a long poll), or with
# --poll asks once a second (as the portal's status page does); neither is counted among the reads
POLL_S = 1.0
WAIT = {"wait": "20"}


@dataclass
class Tally:
    read_ms: list[float] = field(default_factory=list)
    # (seconds since the reads began, path, ms) of every read: where and when the tail is
    read_log: list[tuple[float, str, float]] = field(default_factory=list)
    read_errors: list[str] = field(default_factory=list)
    upload_s: list[float] = field(default_factory=list)
    server_s: list[float] = field(default_factory=list)  # received_at -> processed_at
    checked_s: list[float] = field(default_factory=list)  # received_at -> validated_at
    upload_errors: list[str] = field(default_factory=list)
    rows: int = 0


def account(n: int) -> tuple[str, str, str]:
    """Account number, shared secret and licence number of bench account ``n``."""
    return f"2000000{n:02d}", f"BENCH-2026-{n:02d}", f"0208981{n:02d}"


async def add_accounts(stack: Stack, count: int) -> None:
    """Accounts and licences through licensing's handlers: outbox, relay, read models."""
    item = entry("licensing")
    with tempfile.TemporaryDirectory() as folder:
        settings = item.settings.model_validate({
            "database_url": stack.pg.url("licensing")})
        service = item.build(settings, Infrastructure(MemoryBus(),
                                                      LocalObjectStore(Path(folder))))
        box = service.box  # type: ignore[attr-defined]
        async with service.uows() as uow:
            for n in range(count):
                number, secret, licence = account(n)
                new = NewAccount(number, f"Bench Wireless {n} Inc.", f"bench{n}@example.ca",
                                 secret, city="Ottawa", province="ON", office="Ontario")
                await create_account(uow, box, new)
                await grant_licence(uow, NewLicence(
                    licence, number, "spectrum", "Granted", date(2022, 4, 1), date(2032, 3, 31),
                    service="Cellular / AWS-1 (1710-1780 MHz)", site_data_required=True,
                    site_data_from=date(2024, 10, 31), service_area="3-013",
                    frequency_blocks=["1710-1720 MHz"], commercial_mobile=True,
                    details={"fee_key": "spectrum:fcfs"}), new.legal_name)
            await uow.commit()
        await service.dispose()


def start_offsets(count: int, *, lockstep: bool) -> list[float]:
    """When each client makes its first upload: spread evenly over two polling steps, as
    licensees who do not coordinate would (``lockstep``: all at the same instant, which keeps
    them in waves of ``count`` uploads arriving together for the whole run)."""
    if lockstep:
        return [0.0] * count
    return [2 * POLL_S * n / count for n in range(count)]


def upload_form(content: bytes | str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("mode", "replace")
    form.add_field("file", content, filename="s.csv", content_type="text/csv")
    return form


async def profile(http: aiohttp.ClientSession, n: int) -> dict[str, str]:
    number, secret, licence = account(n)
    # each licensee comes from its own address, as in production (rate limits count them)
    origin = {"X-Forwarded-For": f"10.20.{n // 250}.{n % 250 + 1}"}
    user = {"username": f"bench{n}", "password": PASSWORD, "confirm_password": PASSWORD,
            "name": f"Bench {n}", "phone": "613-555-0100", "email": f"bench{n}@example.ca",
            "language": "en"}
    body = {"kind": "existing_holder", "account_number": number, "shared_secret": secret,
            "user": user}
    for _ in range(240):  # until identity's read model knows the account (a guess at an
        # unknown account counts as a wrong shared secret, and those are limited)
        async with http.get("/api/identity/licensees",
                            params={"name": f"Bench Wireless {n} Inc."}) as found:
            if found.status == 200 and (await found.json())["total"]:
                break
        await asyncio.sleep(0.5)
    async with http.post("/api/identity/registrations", json=body, headers=origin) as response:
        if response.status != 201:
            raise RuntimeError(f"could not register bench{n}: {await response.text()}")
    async with http.post("/api/identity/token", headers=origin,
                         data={"username": user["username"], "password": PASSWORD}) as token:
        headers = {**origin,
                   "Authorization": f"Bearer {(await token.json())['access_token']}"}
    for _ in range(240):  # until sitedata's read model knows the licence
        async with http.post("/api/sitedata/uploads", headers=headers,
                             params={"dry_run": "true"},
                             data=upload_form(valid_file(licence, 1))) as probe:
            if probe.status == 202 and (await probe.json()).get("valid"):
                return headers
        await asyncio.sleep(0.5)
    raise RuntimeError(f"sitedata never learnt licence {licence}")


async def uploader(http: aiohttp.ClientSession, headers: dict[str, str], licence: str, rows: int,
                   until: float, tally: Tally, start_after: float = 0.0, *,
                   poll: bool = False) -> None:
    content = valid_file(licence, rows // 2)
    await asyncio.sleep(start_after)
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            async with http.post("/api/sitedata/uploads", headers=headers,
                                 data=upload_form(content)) as response:
                if response.status != 202:
                    tally.upload_errors.append(f"upload {response.status}")
                    continue
                upload_id = (await response.json())["id"]
            body: dict[str, str] = {"status": ""}
            while body["status"] not in FINAL:
                if poll:
                    await asyncio.sleep(POLL_S)
                async with http.get(f"/api/sitedata/uploads/{upload_id}", headers=headers,
                                    params=None if poll else WAIT) as polled:
                    body = await polled.json()
            if body["status"] != "Processed":
                tally.upload_errors.append(f"upload ended {body['status']}")
            tally.upload_s.append(time.monotonic() - started)
            tally.server_s.append(_seconds(body["received_at"], body["processed_at"]))
            tally.checked_s.append(_seconds(body["received_at"], body["validated_at"]))
            tally.rows += rows
        except (TimeoutError, aiohttp.ClientError) as error:
            tally.upload_errors.append(type(error).__name__)


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


READS = ("/api/sitedata/uploads", "/api/identity/me", "/api/sitedata/uploads?limit=5")


async def one_read(http: aiohttp.ClientSession, headers: dict[str, str], path: str,
                   tally: Tally, origin: float) -> None:
    started = time.perf_counter()
    try:
        async with http.get(path, headers=headers) as response:
            await response.read()
            if response.status != 200:
                tally.read_errors.append(f"{path} {response.status}")
    except (TimeoutError, aiohttp.ClientError) as error:
        tally.read_errors.append(f"{path} {type(error).__name__}")
    took = (time.perf_counter() - started) * 1000
    tally.read_ms.append(took)
    tally.read_log.append((started - origin, path, took))


async def reader(http: aiohttp.ClientSession, profiles: list[dict[str, str]], rate: float,
                 until: float, tally: Tally) -> None:
    """Open loop: a read every 1/rate s whatever the answers take (no coordinated omission)."""
    rng = random.Random(9)
    tasks = []
    start, origin = time.monotonic(), time.perf_counter()
    n = 0
    while (due := start + n / rate) < until:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        tasks.append(asyncio.create_task(one_read(http, rng.choice(profiles),
                                                  rng.choice(READS), tally, origin)))
        n += 1
    await asyncio.gather(*tasks)


def tail_where(log: list[tuple[float, str, float]], window_s: float = 10.0
               ) -> dict[str, dict[str, float]]:
    """p95 per path and per ``window_s`` of the run."""
    by_path: dict[str, list[float]] = {}
    by_window: dict[str, list[float]] = {}
    for at, path, ms in log:
        by_path.setdefault(path, []).append(ms)
        by_window.setdefault(f"{int(at // window_s) * int(window_s)}s", []).append(ms)
    return {"p95_ms_by_path": {k: pct(v, 95) for k, v in sorted(by_path.items())},
            "p95_ms_by_window": {k: pct(v, 95) for k, v in by_window.items()}}


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1]
                 if len(values) > 1 else values[0], 1)


async def run(args: argparse.Namespace, stack: Stack) -> dict[str, object]:
    await add_accounts(stack, args.uploads)
    connector = aiohttp.TCPConnector(limit=200, keepalive_timeout=30)
    async with aiohttp.ClientSession(base_url=stack.url, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60)) as http:
        # one at a time: registration hashes a password (argon2), slow on purpose
        profiles = [await profile(http, n) for n in range(args.uploads)]
        tally = Tally()
        freeze_startup_heap()  # the generator's own collections are not the system's latency
        until = time.monotonic() + args.seconds
        started = time.monotonic()
        starts = start_offsets(len(profiles), lockstep=args.lockstep)
        with RssSampler(stack_pids(stack)) as sampler:  # where the CPU goes
            await asyncio.gather(
                reader(http, profiles, args.rate, until, tally),
                *(uploader(http, headers, account(n)[2], args.rows, until, tally, starts[n],
                           poll=args.poll)
                  for n, headers in enumerate(profiles)))
        elapsed = time.monotonic() - started
    cpu = sampler.cpu_s()
    return {
        "seconds": round(elapsed, 1), "target_read_rate": args.rate,
        "starts": "lockstep" if args.lockstep else "spread",
        "client_waits": "poll 1 s" if args.poll else "long poll (?wait=)",
        "reads": len(tally.read_ms), "reads_per_s": round(len(tally.read_ms) / elapsed, 1),
        "read_p50_ms": pct(tally.read_ms, 50), "read_p95_ms": pct(tally.read_ms, 95),
        "read_p99_ms": pct(tally.read_ms, 99), "read_errors": len(tally.read_errors),
        "uploads_in_flight": args.uploads, "uploads_finished": len(tally.upload_s),
        "upload_rows_per_s": round(tally.rows / elapsed, 1),
        "upload_p50_s": pct(tally.upload_s, 50), "upload_p95_s": pct(tally.upload_s, 95),
        # the server's own stamps (accepted -> applied), without the client's waiting
        "upload_server_p50_s": pct(tally.server_s, 50),
        "upload_server_p95_s": pct(tally.server_s, 95),
        # of which: received -> checked (the rest is applying the stations)
        "upload_checked_p50_s": pct(tally.checked_s, 50),
        "upload_errors": len(tally.upload_errors),
        "error_samples": sorted(set(tally.read_errors + tally.upload_errors))[:5],
        **tail_where(tally.read_log),
        "cpu_s_top": dict(list(cpu.items())[:12]), "cpu_total_s": round(sum(cpu.values()), 1),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=200.0, help="reads per second")
    parser.add_argument("--uploads", type=int, default=20, help="uploads in flight")
    parser.add_argument("--rows", type=int, default=500, help="rows per uploaded file")
    parser.add_argument("--poll", action="store_true",
                        help="clients ask for their upload's status once a second instead of "
                             "waiting for its end in one request")
    parser.add_argument("--lockstep", action="store_true",
                        help="every client uploads first at the same instant (waves)")
    parser.add_argument("--lanes", type=int, default=0,
                        help="uploads one sitedata consumer checks at once (default: its own)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sms-load-") as folder:
        lanes = {"sitedata": {"CHECK_PARALLEL": str(args.lanes)}} if args.lanes else {}
        stack = Stack(Path(folder), front="nginx", settings=lanes)
        try:
            stack.start_servers()
            stack.prepare()
            stack.start_processes()
            stack.wait_ready(timeout=300)
            result = asyncio.run(run(args, stack))
        finally:
            stack.stop()
    print(json.dumps(result))
    return 0 if not result["read_errors"] and not result["upload_errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
