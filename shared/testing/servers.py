"""Real local servers on loopback for tests and `make stack`: what they share.

`free_port`, and `LocalServer`, the context-manager plumbing of `PostgresServer`
(`shared.testing.postgres`), `MotoServer` (`shared.testing.moto_s3`) and `SmtpSink`
(`shared.testing.smtp`). Each server picks a free loopback port unless given one, waits until it
answers, and raises RuntimeError saying what is missing and how to install it when it cannot
start. Nothing here ever skips a test.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self

import httpx


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free on `host` a moment ago (bind to port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, timeout: float, *, alive: Callable[[], bool] = lambda: True,
                 interval: float = 0.2) -> bool:
    """True once ``GET {url}/healthz`` answers 200; False when ``alive()`` turns false first
    (the process or thread behind it ended) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    return False


def check_bindable(host: str, port: int) -> None:
    """OSError now if nothing could listen on host:port (as asyncio binds: SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))


class LocalServer:
    """Context-manager plumbing shared by the servers."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
