"""argon2id hashing of passwords and shared secrets, as the servers do it.

A hash costs tens of milliseconds of CPU and 64 MiB. On the event loop it would stall every
other request, so the servers use the ``*_off_loop`` forms: the work runs in small child
processes (``shared.hashing_child``, which also keeps the 64 MiB out of the server process) at a
lower priority than the servers, one fewer than the cores so the loop keeps one, each driven by
a thread of a small pool, and no more than ``MAX_WAITING`` hashes may wait; past that the
caller gets a 503 at once rather than a queue that grows with a flood (docs/security.md).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from shared.argon2id import DUMMY_HASH, hash_secret, needs_rehash, verify_secret
from shared.errors import DomainError
from shared.hashing_child import HashingChild

__all__ = ["DUMMY_HASH", "HashingPool", "hash_off_loop", "hash_secret", "needs_rehash",
           "verify_off_loop", "verify_secret"]

WORKERS = max(1, min(4, (os.cpu_count() or 2) - 1))
MAX_WAITING = 64


class HashingPool:
    """The bounded pool the servers hash in: each thread hands its hash to its own child."""

    def __init__(self, workers: int = WORKERS, max_waiting: int = MAX_WAITING):
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")
        self._children = threading.local()
        self.max_waiting = max_waiting
        self.waiting = 0

    async def run(self, fn: Callable[..., object], *args: str) -> object:
        if self.waiting >= self.max_waiting:
            raise DomainError("AUTH-BUSY", "Too many sign-ins are being checked right now.",
                              status=503, retry_after=5, fix="Try again in a few seconds.")
        self.waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self._executor, self._in_child, fn.__name__, *args)
        finally:
            self.waiting -= 1

    def _in_child(self, name: str, *args: str) -> object:
        child = getattr(self._children, "child", None)
        if child is None:
            child = self._children.child = HashingChild()
        return child.call(name, *args)


@cache
def pool() -> HashingPool:
    """One pool per process, made on first use."""
    return HashingPool()


async def hash_off_loop(secret: str) -> str:
    return str(await pool().run(hash_secret, secret))


async def verify_off_loop(hashed: str, secret: str) -> bool:
    return bool(await pool().run(verify_secret, hashed, secret))
