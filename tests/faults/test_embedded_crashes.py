"""kill -9 of the embedded system (``make run``) at several moments of an upload, again and
again: right after the 202, while the file is checked, and as soon as it is Processed (its
events still on their way to the read models and the mail). After each restart the upload
ends exactly once: Processed with all of its stations, one ``upload.processed`` event, one
e-mail, and the public station search agrees with the site-data store. And a SIGTERM in the
middle of a big file stops the system within 10 s, a client waiting for the file's end
answered at once; the restart finishes the file.

One embedded system (its var/ kept across restarts) for the module; ``SMS_FAULT_TRIALS``
sets the number of kill trials (20 by default).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from benchmarks.gen_sitedata import write_file
from services.gateway.demo_ready import wait_demo_ready
from shared.testing.servers import free_port, wait_healthy
from tests.support.journey import FINAL, eventually, token, upload

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("SMS_FAULT_TRIALS", "20"))
LICENCES = ("010898101", "010898102", "010898103", "010898104")
MOMENTS = ("received", "checking", "processed")


class Embedded:
    """``spectrum run`` in a child process, killed and started again on the same var/."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port, self.smtp = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMS_")}
        env["PYTHONPATH"] = str(ROOT)
        log = (self.workdir / "server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "run", "--port", str(self.port),
             "--smtp-port", str(self.smtp)], cwd=self.workdir, env=env, stdout=log,
            stderr=subprocess.STDOUT)
        alive = lambda: self.process is not None and self.process.poll() is None  # noqa: E731
        if not (wait_healthy(self.url, 120, alive=alive) and wait_demo_ready(self.url, 120)):
            raise RuntimeError(f"spectrum run did not come back; see {self.workdir}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def terminate(self, timeout: float) -> float:
        """SIGTERM; the seconds it took to exit (raises if it did not within ``timeout``)."""
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=timeout)
        return time.monotonic() - started

    def sql(self, database: str, query: str, *args: object) -> int:
        with sqlite3.connect(self.workdir / "var" / f"{database}.db") as db:
            row = db.execute(query, args).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def mails_about(self, text: str) -> int:
        return sum(text in path.read_text(errors="replace")
                   for folder in ("new", "cur")
                   for path in (self.workdir / "var" / "mail" / folder).glob("*"))


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedded]:
    running = Embedded(tmp_path_factory.mktemp("embedded-crashes"))
    running.start()
    yield running
    if running.process is not None and running.process.poll() is None:
        running.terminate(30)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A file of 30,000 rows per licence (about 11 MB: checking takes a moment)."""
    folder = tmp_path_factory.mktemp("files")
    return {licence: write_file(folder / f"{licence}.csv", 30_000, seed=n, licences=[licence],
                                accents=True).path.read_bytes()
            for n, licence in enumerate(LICENCES)}


async def kill_at(system: Embedded, http: httpx.AsyncClient, headers: dict[str, str],
                  upload_id: str, moment: str, rng: random.Random) -> str:
    """kill -9 at ``moment``; what the upload showed just before."""
    seen = "Validation in Progress"
    if moment == "received":
        await asyncio.sleep(rng.uniform(0.0, 0.3))
    else:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            body = (await http.get(f"/api/sitedata/uploads/{upload_id}",
                                   headers=headers)).json()
            seen = body["status"]
            progress = body["progress"]
            if moment == "checking" and (progress["percent"] >= 10 or seen in FINAL):
                break
            if moment == "processed" and seen in FINAL:
                break
            await asyncio.sleep(0.02)
    system.kill()
    return seen


async def ends_once(system: Embedded, headers: dict[str, str], upload_id: str, licence: str,
                    rows: int) -> None:
    async with httpx.AsyncClient(base_url=system.url, timeout=60) as http:
        async def final() -> dict[str, object] | None:
            body = (await http.get(f"/api/sitedata/uploads/{upload_id}", headers=headers)).json()
            return body if body["status"] in FINAL else None

        body = await eventually(final, timeout=120)
        assert body["status"] == "Processed" and body["records"] == rows, body

        async def searchable() -> bool:
            found = await http.get("/api/reports/public/stations",
                                   params={"licence": licence, "limit": 1})
            return found.status_code == 200 and found.json()["total"] == rows

        await eventually(searchable, timeout=60)  # the read model agrees with the store
    assert system.sql("sitedata", "select count(*) from stations where upload_id = ?",
                      upload_id) == rows
    assert system.sql("sitedata", "select count(*) from licence_stations where "
                      "licence_number = ? and upload_id = ?", licence, upload_id) == 1
    assert system.sql("sitedata", "select count(*) from outbox where key = ? and envelope "
                      "like '%sitedata.upload.processed%'", upload_id) == 1

    async def mailed() -> bool:
        return system.mails_about(upload_id) >= 1

    await eventually(mailed, timeout=60)
    await asyncio.sleep(1.0)
    assert system.mails_about(upload_id) == 1


async def test_kill_9_at_any_moment_ends_each_upload_exactly_once(
        system: Embedded, files: dict[str, bytes]) -> None:
    rng = random.Random(14)
    outcomes: list[tuple[str, str]] = []
    for trial in range(TRIALS):
        licence, moment = LICENCES[trial % len(LICENCES)], MOMENTS[trial % len(MOMENTS)]
        async with httpx.AsyncClient(base_url=system.url, timeout=120) as http:
            headers = await token(http)
            response = await upload(http, headers, files[licence])
            assert response.status_code == 202, response.text
            upload_id = response.json()["id"]
            outcomes.append((moment, await kill_at(system, http, headers, upload_id, moment,
                                                   rng)))
        system.start()
        await ends_once(system, headers, upload_id, licence, 30_000)
    assert {moment for moment, _ in outcomes} == set(MOMENTS[:TRIALS])


async def test_sigterm_during_a_big_file_stops_within_10_s_and_the_restart_finishes_it(
        system: Embedded, files: dict[str, bytes], tmp_path: Path) -> None:
    big = write_file(tmp_path / "big.csv", 120_000, seed=7, licences=["010898101"],
                     accents=True).path.read_bytes()
    async with httpx.AsyncClient(base_url=system.url, timeout=120) as http:
        headers = await token(http)
        response = await upload(http, headers, big)
        assert response.status_code == 202, response.text
        upload_id = response.json()["id"]

        async def checking() -> bool:
            body = (await http.get(f"/api/sitedata/uploads/{upload_id}",
                                   headers=headers)).json()
            return bool(body["progress"]["percent"] >= 10)

        await eventually(checking, timeout=60, interval=0.05)
        # a client waiting for the end (a long poll of up to 30 s) neither holds the shutdown
        # nor loses its answer: it is answered at once with the progress
        waiting = asyncio.create_task(http.get(f"/api/sitedata/uploads/{upload_id}",
                                               headers=headers, params={"wait": "30"}))
        await asyncio.sleep(0.5)
        took = await asyncio.to_thread(system.terminate, 20)
        answer = await waiting
    assert took < 10, f"shutdown took {took:.1f} s"
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "Validation in Progress"
    system.start()
    await ends_once(system, headers, upload_id, "010898101", 120_000)
