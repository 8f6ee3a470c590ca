"""argon2id hashing of passwords and shared secrets.

A hash costs tens of milliseconds of CPU and 64 MiB. On the event loop it would stall every
other request, so the servers use the ``*_off_loop`` forms: the work runs in a small thread
pool (argon2 releases the GIL), one thread fewer than the cores so the loop keeps one, at a
lower priority than the loop's thread, and no more than ``MAX_WAITING`` hashes may wait; past
that the caller gets a 503 at once rather than a queue that grows with a flood
(docs/security.md).
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.errors import DomainError

_hasher = PasswordHasher()
WORKERS = max(1, min(4, (os.cpu_count() or 2) - 1))
MAX_WAITING = 64
NICENESS = 10


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(hashed: str, secret: str) -> bool:
    """Constant-time comparison inside argon2; False on any mismatch or bad hash."""
    try:
        return _hasher.verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


class HashingPool:
    """The bounded pool the servers hash in."""

    def __init__(self, workers: int = WORKERS, max_waiting: int = MAX_WAITING):
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2",
                                            initializer=_lower_priority)
        self.max_waiting = max_waiting
        self.waiting = 0

    async def run(self, fn: object, *args: str) -> object:
        if self.waiting >= self.max_waiting:
            raise DomainError("AUTH-BUSY", "Too many sign-ins are being checked right now.",
                              status=503, retry_after=5, fix="Try again in a few seconds.")
        self.waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self._executor, fn, *args)  # type: ignore[arg-type]
        finally:
            self.waiting -= 1


def _lower_priority() -> None:
    """A hashing thread yields the CPU to the event loop's thread (Linux: a thread's own
    niceness), so a flood of sign-ins slows the sign-ins, not every other request."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        return


@cache
def pool() -> HashingPool:
    """One pool per process, made on first use."""
    return HashingPool()


async def hash_off_loop(secret: str) -> str:
    return str(await pool().run(hash_secret, secret))


async def verify_off_loop(hashed: str, secret: str) -> bool:
    return bool(await pool().run(verify_secret, hashed, secret))
