"""Rate limits kept in memory: at most ``limit`` hits per ``window_s`` for each key (a client
address, a user name, an e-mail address).

A sliding log per key, the oldest keys dropped past ``max_keys`` so a flood of new keys cannot
grow memory without bound. Each process counts on its own; the limits that must hold across
processes (sign-in lock-out, shared-secret attempts, reset links) are counted in the database
by identity (docs/security.md).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from shared.errors import TooManyRequestsError


@dataclass(frozen=True)
class Limit:
    limit: int
    window_s: float


class RateLimiter:
    def __init__(self, rule: Limit, *, max_keys: int = 100_000,
                 now: Callable[[], float] = time.monotonic):
        self.rule = rule
        self.max_keys = max_keys
        self._now = now
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, key: str) -> float | None:
        """Count a hit for ``key``; seconds to wait when it is over the limit (not counted)."""
        now = self._now()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end(key)
        while hits and hits[0] <= now - self.rule.window_s:
            hits.popleft()
        if len(hits) >= self.rule.limit:
            return hits[0] + self.rule.window_s - now
        hits.append(now)
        return None

    def hit(self, key: str, code: str, message: str, fix: str) -> None:
        """Count a hit; raise 429 with Retry-After when over the limit."""
        wait = self.retry_after(key)
        if wait is not None:
            raise TooManyRequestsError(code, message, retry_after=math.ceil(wait), fix=fix)


def client_of(request: Request) -> str:
    """The caller's address (uvicorn puts the forwarded one here behind a trusted proxy)."""
    return request.client.host if request.client else "unknown"
