"""Reads during a sign-in flood (issue 15, point 3): 120 bogus sign-ins from 40 client
addresses against the embedded server (``spectrum run``, a real HTTP server in a child
process), while a signed-in licensee reads at a fixed rate.

    .venv/bin/python -m benchmarks.signin_flood [--clients 40] [--each 3] [--rate 20]

Each flood client has its own address (``X-Forwarded-For``, believed from the loopback proxy
address as behind the gateway) and sends its sign-ins one after another; half name no profile,
half name demo profiles with a wrong password. Reads rotate over four read endpoints of three
services. Prints one JSON line: reads before and during the flood (count, p50/p95/p99/max ms,
errors) and the sign-ins (outcomes by status, p50/p95 ms, how long the flood lasted).
Goal: read p95 < 250 ms during the flood. Figures: docs/security.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from tests.support.live import live_embedded

READS = ("/api/identity/me", "/api/sitedata/uploads", "/api/licensing/applications",
         "/api/reports/public/stations?limit=20")
TARGETS = ("demo.licensee", "demo.officer", "demo.admin")


def figures(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)

    return {"count": len(samples), "p50": round(statistics.median(ordered), 1),
            "p95": at(0.95), "p99": at(0.99), "max": round(ordered[-1], 1)}


async def reader(http: httpx.AsyncClient, headers: dict[str, str], rate: float,
                 stop: asyncio.Event, out: list[float], errors: list[str]) -> None:
    """Open loop: a read every 1/rate s, each in its own task, whatever the answers take."""
    tasks: list[asyncio.Task[None]] = []

    async def one(path: str) -> None:
        started = time.perf_counter()
        try:
            answer = await http.get(path, headers=headers)
            if answer.status_code != 200:
                errors.append(f"{path} {answer.status_code}")
        except httpx.HTTPError as exc:
            errors.append(f"{path} {type(exc).__name__}")
        out.append((time.perf_counter() - started) * 1000)

    n = 0
    while not stop.is_set():
        tasks.append(asyncio.create_task(one(READS[n % len(READS)])))
        n += 1
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)


async def flood_client(http: httpx.AsyncClient, address: int, each: int,
                       outcomes: Counter[int], took: list[float]) -> None:
    for n in range(each):
        username = TARGETS[n % len(TARGETS)] if address % 2 else f"nobody{address}-{n}"
        started = time.perf_counter()
        answer = await http.post("/api/identity/token", data={
            "username": username, "password": "Bogus-Passw0rd!"},
            headers={"X-Forwarded-For": f"10.9.{address // 250}.{address % 250 + 1}"})
        took.append((time.perf_counter() - started) * 1000)
        outcomes[answer.status_code] += 1


async def run(url: str, clients: int, each: int, rate: float) -> dict[str, object]:
    limits = httpx.Limits(max_connections=clients + 50, max_keepalive_connections=clients + 50)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        signed = await http.post("/api/identity/token", data={
            "username": "demo.licensee", "password": "Demo-Licensee-2026!"})
        headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        for path in READS:  # warm every path once
            await http.get(path, headers=headers)
        before: list[float] = []
        during: list[float] = []
        errors: list[str] = []
        stop = asyncio.Event()
        reading = asyncio.create_task(reader(http, headers, rate, stop, before, errors))
        await asyncio.sleep(5)
        stop.set()
        await reading
        stop = asyncio.Event()
        reading = asyncio.create_task(reader(http, headers, rate, stop, during, errors))
        outcomes: Counter[int] = Counter()
        took: list[float] = []
        started = time.perf_counter()
        await asyncio.gather(*(flood_client(http, a, each, outcomes, took)
                               for a in range(clients)))
        flood_s = time.perf_counter() - started
        stop.set()
        await reading
    return {"reads_before": figures(before), "reads_during_flood": figures(during),
            "read_errors": errors[:10], "sign_ins": {
                "sent": clients * each, "clients": clients, "outcomes": dict(outcomes),
                "ms": figures(took), "flood_s": round(flood_s, 1)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--each", type=int, default=3)
    parser.add_argument("--rate", type=float, default=20.0, help="reads per second")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, live_embedded(Path(folder)) as url:
        result = asyncio.run(run(url, args.clients, args.each, args.rate))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
