"""The small guards of issue 15: rate limits, the same-origin rule, hashing off the event loop,
the token secret a server refuses, partial files left by a killed writer, and CSV cells."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.requests import Request

from services.gateway.app import create_app
from services.reports.adapters.export import cell
from shared.config import DEV_SECRET, ServiceSettings, secret_problem
from shared.errors import DomainError, TooManyRequestsError
from shared.hashing import HashingPool, hash_secret, verify_secret
from shared.storage.local import INCOMING_DIR, LocalObjectStore
from shared.web.ratelimit import Limit, RateLimiter
from shared.web.security import same_origin

ROOT = Path(__file__).resolve().parents[2]


async def test_an_unexpected_error_still_carries_the_security_headers() -> None:
    app = create_app([])

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answer = await http.get("/api/boom")
    assert answer.status_code == 500 and answer.json()["code"] == "INTERNAL"
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"


def test_a_rate_limit_counts_a_sliding_window_per_key() -> None:
    now = [0.0]
    limiter = RateLimiter(Limit(3, 60), now=lambda: now[0])
    assert [limiter.retry_after("a") for _ in range(3)] == [None, None, None]
    assert limiter.retry_after("a") == 60
    assert limiter.retry_after("b") is None  # another key is not held back
    now[0] = 30
    with pytest.raises(TooManyRequestsError) as limited:
        limiter.hit("a", "X-RATE", "Too many.", "Wait.")
    assert limited.value.status == 429 and limited.value.retry_after == 30
    now[0] = 60.5
    assert limiter.retry_after("a") is None


def test_a_flood_of_new_keys_keeps_memory_bounded() -> None:
    limiter = RateLimiter(Limit(1, 60), max_keys=100)
    for n in range(10_000):
        limiter.retry_after(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter._hits) == 100


def request(headers: dict[str, str], method: str = "POST") -> Request:
    return Request({"type": "http", "method": method, "path": "/api/x", "query_string": b"",
                    "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})


@pytest.mark.parametrize(("headers", "same"), [
    ({"sec-fetch-site": "same-origin"}, True),
    ({"sec-fetch-site": "cross-site", "origin": "https://sms.example.ca"}, False),
    ({"sec-fetch-site": "same-site"}, False),
    ({"origin": "https://sms.example.ca"}, True),
    ({"origin": "https://SMS.example.ca"}, True),
    ({"origin": "https://sms.example.ca.attacker.example"}, False),
    ({"origin": "http://internal:8100", "host": "internal:8100"}, True),
    ({"origin": "https://attacker.example", "host": "internal:8100"}, False),
    ({"origin": "null"}, False),
    ({"referer": "https://sms.example.ca/sitedata/upload"}, True),
    ({"referer": "https://attacker.example/sms.example.ca"}, False),
    ({}, False),
])
def test_same_origin_is_read_from_the_headers_a_browser_sets(
        headers: dict[str, str], same: bool) -> None:
    assert same_origin(request(headers), ["https://sms.example.ca"]) is same


async def test_hashing_runs_off_the_event_loop() -> None:
    pool = HashingPool(workers=1)
    hashed = hash_secret("Str0ng-Passw0rd!")
    gaps: list[float] = []

    async def ticker() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    results = await asyncio.gather(*(pool.run(verify_secret, hashed, "wrong")
                                     for _ in range(4)))
    ticking.cancel()
    assert results == [False] * 4
    assert len(gaps) > 20 and max(gaps) < 0.1  # each hash takes longer than that


async def test_past_its_queue_the_pool_answers_busy_at_once() -> None:
    pool = HashingPool(workers=1, max_waiting=2)
    hashed = hash_secret("x" * 12)
    waiting = [asyncio.create_task(pool.run(verify_secret, hashed, "y")) for _ in range(2)]
    await asyncio.sleep(0)
    with pytest.raises(DomainError) as busy:
        await pool.run(verify_secret, hashed, "y")
    assert busy.value.status == 503 and busy.value.retry_after == 5
    await asyncio.gather(*waiting)


@pytest.mark.parametrize(("secret", "refused"), [
    (DEV_SECRET, True), ("please-set-the-token-secret-CHANGEME-now", True),
    ("my-secret-please-change-me-soon-0123", True), ("a" * 40, True), ("ab" * 20, True),
    ("q8Z2x_PmV7rT0kLw3NbY6cHs1fDgJe9u4iOa5", False),
])
def test_a_server_refuses_a_known_or_trivial_token_secret(secret: str, refused: bool) -> None:
    assert (secret_problem(secret) is not None) is refused
    settings = ServiceSettings(token_secret=secret)
    if refused:
        with pytest.raises(SystemExit):
            settings.check_token_secret()
    else:
        settings.check_token_secret()


def test_an_empty_token_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="32 characters"):
        ServiceSettings(token_secret=" " * 40)


WRITER = """
import asyncio, sys
from shared.storage.local import LocalObjectStore

async def chunks():
    while True:
        yield b"x" * 65536
        await asyncio.sleep(0.01)

asyncio.run(LocalObjectStore(sys.argv[1]).put_stream("uploads/big.csv", chunks()))
"""


def test_a_writer_killed_mid_transfer_leaves_nothing_after_the_next_start(
        tmp_path: Path) -> None:
    incoming = tmp_path / INCOMING_DIR
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 30
        while not any(p.stat().st_size > 1 << 20 for p in incoming.glob("*.part")):
            assert time.monotonic() < deadline, "the writer never wrote"
            time.sleep(0.05)
        live = LocalObjectStore(tmp_path)  # a store opening while the write runs
        assert live.sweep_incoming() == 0 and list(incoming.glob("*.part"))
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert list(incoming.glob("*.part"))  # kill -9: the partial file stays...
    LocalObjectStore(tmp_path)
    assert not list(incoming.glob("*.part"))  # ...until the next start removes it
    assert not (tmp_path / "uploads" / "big.csv").exists()


@pytest.mark.parametrize(("value", "written"), [
    ("-75.6972", "-75.6972"), ("+45.4215", "+45.4215"), ("-1e5", "-1e5"), (-75.5, "-75.5"),
    ("=1+1", "'=1+1"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("-", "'-"),
    ("+1 613 555 0100", "'+1 613 555 0100"), ("\t=x", "'\t=x"),
])
def test_csv_cells_escape_formulas_and_leave_numbers_alone(value: object,
                                                           written: str) -> None:
    assert cell(value) == written
