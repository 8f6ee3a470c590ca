"""The month-end surge: many accounts upload a file each at the same moment.

Runs on a fresh real stack with one sitedata consume process, then on another with two, and
reports both: the seconds until every upload is Processed, the p50/p95 from upload to end,
and the rows per second over all. ``--consumer-cpu 0.25`` gives each sitedata consume process a
quarter of a core of its own (``cpu_quota``), so that the consumers, not the machine's shared
cores, are the limit, as on a cluster where each consumer has cores of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.cpu_quota import quota_each
from benchmarks.e2e_support import RssSampler, pct, stack_pids, upload_form
from benchmarks.gen_sitedata import write_file
from benchmarks.load import account, add_accounts, profile
from services.gateway.stack import Stack

FINAL = {"Processed", "Errors Found"}
ROWS_PER_MB = 2_800  # the generator writes about 360 bytes a row


async def one(http: aiohttp.ClientSession, headers: dict[str, str], data: bytes,
              start: float) -> tuple[float, str]:
    async with http.post("/api/sitedata/uploads", headers=headers,
                         data=upload_form(data)) as response:
        body = await response.json()
        if response.status != 202:
            return time.monotonic() - start, f"refused {response.status}"
    status = ""
    while status not in FINAL:  # waits for the end in one request (a long poll)
        async with http.get(f"/api/sitedata/uploads/{body['id']}", headers=headers,
                            params={"wait": "30"}) as polled:
            status = (await polled.json())["status"]
    return time.monotonic() - start, status


async def surge(stack: Stack, accounts: int, files: list[bytes], rows: int) -> dict[str, Any]:
    await add_accounts(stack, accounts)
    async with aiohttp.ClientSession(base_url=stack.url,
                                     timeout=aiohttp.ClientTimeout(total=600)) as http:
        profiles = [await profile(http, n) for n in range(accounts)]
        start = time.monotonic()
        with RssSampler(stack_pids(stack)) as sampler:  # the surge only, not the set-up
            ended = await asyncio.gather(*(one(http, headers, files[n], start)
                                           for n, headers in enumerate(profiles)))
    return {**_figures(ended, rows), **_cpu(sampler)}


def _figures(ended: list[tuple[float, str]], rows: int) -> dict[str, Any]:
    seconds = [s for s, _ in ended]
    wrong = [status for _, status in ended if status != "Processed"]
    return {"all_processed_s": round(max(seconds), 2), "upload_p50_s": pct(seconds, 50),
            "upload_p95_s": pct(seconds, 95), "rows_per_s": round(rows / max(seconds)),
            "not_processed": len(wrong)}


def _cpu(sampler: RssSampler) -> dict[str, Any]:
    """Where the CPU went (the five busiest processes) and the total, which says whether the
    machine's cores, not the number of checkers, were the limit."""
    cpu = sampler.cpu_s()
    return {"cpu_s_top": dict(list(cpu.items())[:5]), "cpu_total_s": round(sum(cpu.values()), 1),
            "cores": os.cpu_count()}


def _consumer_quota(stack: Stack, cores: float) -> contextlib.AbstractContextManager[Any]:
    """Each sitedata consume process limited to ``cores`` of a core (0: no limit)."""
    if not cores:
        return contextlib.nullcontext()
    consumers = {label: pid for label, pid in stack_pids(stack).items()
                 if label.startswith("sitedata-consume")}
    return quota_each(consumers, cores)


def run_surge(args: argparse.Namespace) -> dict[str, Any]:
    per_file = int(ROWS_PER_MB * args.file_mb)
    results: dict[str, Any] = {"mode": "surge", "accounts": args.accounts,
                               "rows_per_file": per_file,
                               "consumer_cpu_quota": args.consumer_cpu or None}
    with tempfile.TemporaryDirectory(prefix="sms-surge-") as folder:
        files = [write_file(Path(folder) / f"a{n}.csv", per_file, seed=n,
                            licences=[account(n)[2]], accents=True).path.read_bytes()
                 for n in range(args.accounts)]
        results["file_bytes"] = len(files[0])
        for consumers in (1, 2):
            stack = Stack(Path(folder) / f"stack{consumers}", front="nginx",
                          replicas={"sitedata": consumers})
            try:
                stack.start()
                with _consumer_quota(stack, args.consumer_cpu):
                    results[f"consumers_{consumers}"] = asyncio.run(
                        surge(stack, args.accounts, files, per_file * args.accounts))
            finally:
                stack.stop()
    one_s = results["consumers_1"]["all_processed_s"]
    two_s = results["consumers_2"]["all_processed_s"]
    results["speedup"] = round(one_s / two_s, 2) if two_s else None
    return results
