"""Nobody waits behind a big file: while the demo licensee's 59 MB file goes through, another
account (the demo's second one, registered here with its shared secret) uploads a small file
every two seconds, reads its upload list and profile ten times a second, and signs in once a
second.

Reports the neighbour's POST answer times, its small files' times to Processed, and the
reads' p50/p95 (``--neighbour`` of ``benchmarks.e2e``).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.e2e_support import pct, upload_form
from benchmarks.gen_sitedata import write_file

ACCOUNT, SECRET, LICENCE = "100000002", "DEMO-2026-SMS2", "010898199"
USER, PASSWORD = "bench.neighbour", "Bench-Neighbour-2026!"
FINAL = {"Processed", "Errors Found"}


async def register(http: aiohttp.ClientSession) -> dict[str, str]:
    """The second demo account's web profile (once), and its token."""
    user = {"username": USER, "password": PASSWORD, "confirm_password": PASSWORD,
            "name": "Bench Neighbour", "phone": "613-555-0101",
            "email": "neighbour@example.ca", "language": "en"}
    async with http.post("/api/identity/registrations", json={
            "kind": "existing_holder", "account_number": ACCOUNT, "shared_secret": SECRET,
            "user": user}) as response:
        if response.status not in (201, 409):
            raise RuntimeError(f"could not register: {response.status} {await response.text()}")
    async with http.post("/api/identity/token",
                         data={"username": USER, "password": PASSWORD}) as token:
        body = await token.json()
    return {"Authorization": f"Bearer {body['access_token']}"}


class Neighbour:
    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.file = write_file(folder / "neighbour.csv", 40, licences=[LICENCE]).path
        self.posts: list[float] = []
        self.processed: list[float] = []
        self.reads: list[float] = []
        self.read_at: list[float] = []  # when each read began, seconds after the first
        self.errors: list[str] = []
        self.headers: dict[str, str] = {}
        self.sign_ins = 0

    async def ready(self) -> None:
        """Registered, and sitedata knows the licence (a dry run is valid)."""
        async with aiohttp.ClientSession(base_url=self.url) as http:
            self.headers = await register(http)
            for _ in range(240):
                async with http.post("/api/sitedata/uploads", headers=self.headers,
                                     params={"dry_run": "true"},
                                     data=upload_form(self.file.read_bytes())) as probe:
                    if probe.status == 202 and (await probe.json()).get("valid"):
                        return
                await asyncio.sleep(0.5)
        raise RuntimeError("sitedata never learnt the neighbour's licence")

    async def run(self, stop: asyncio.Event) -> None:
        async with aiohttp.ClientSession(base_url=self.url,
                                         timeout=aiohttp.ClientTimeout(total=120)) as http:
            await asyncio.gather(self._uploads(http, stop), self._reads(http, stop),
                                 self._sign_ins(http, stop))

    async def _sign_ins(self, http: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        """A sign-in a second while the big file goes through: argon2id's 64 MiB a hash must
        not take a service process above 150 MB (it is hashed in a child process)."""
        while not stop.is_set():
            started = time.monotonic()
            async with http.post("/api/identity/token",
                                 data={"username": USER, "password": PASSWORD}) as response:
                await response.read()
                if response.status != 200:
                    self.errors.append(f"sign-in {response.status}")
            self.sign_ins += 1
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))

    async def _uploads(self, http: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.monotonic()
            async with http.post("/api/sitedata/uploads", headers=self.headers,
                                 data=upload_form(self.file.read_bytes())) as response:
                body = await response.json()
            self.posts.append(time.monotonic() - started)
            if response.status != 202:
                self.errors.append(f"upload {response.status}")
                continue
            status = ""
            while status not in FINAL:
                await asyncio.sleep(0.1)
                async with http.get(f"/api/sitedata/uploads/{body['id']}",
                                    headers=self.headers) as polled:
                    status = (await polled.json())["status"]
            self.processed.append(time.monotonic() - started)
            if status != "Processed":
                self.errors.append(status)
            await asyncio.sleep(max(0.0, 2.0 - (time.monotonic() - started)))

    async def _reads(self, http: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        paths = ("/api/sitedata/uploads?limit=10", "/api/identity/me")
        n = 0
        while not stop.is_set():
            started = time.monotonic()
            async with http.get(paths[n % 2], headers=self.headers) as response:
                await response.read()
                if response.status != 200:
                    self.errors.append(f"read {response.status}")
            self.reads.append((time.monotonic() - started) * 1000)
            self.read_at.append(started)
            n += 1
            await asyncio.sleep(max(0.0, 0.1 - (time.monotonic() - started)))

    def slowest(self, count: int = 5) -> list[list[float]]:
        """[seconds after the first read, ms] of the slowest reads: when the tail happens."""
        first = self.read_at[0] if self.read_at else 0.0
        worst = sorted(zip(self.reads, self.read_at, strict=True), reverse=True)[:count]
        return [[round(at - first, 2), round(ms, 1)] for ms, at in worst]

    def figures(self) -> dict[str, Any]:
        return {"uploads": len(self.processed), "post_max_s": round(max(self.posts, default=0), 2),
                "post_p50_s": pct(self.posts, 50),
                "processed_max_s": round(max(self.processed, default=0), 2),
                "processed_p50_s": pct(self.processed, 50), "reads": len(self.reads),
                "read_p50_ms": pct(self.reads, 50), "read_p95_ms": pct(self.reads, 95),
                "slowest_reads": self.slowest(), "sign_ins": self.sign_ins,
                "errors": self.errors[:5]}
