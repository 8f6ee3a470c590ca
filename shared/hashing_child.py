"""The child process a server hashes in, and the handle a pool thread talks to it through.

argon2id takes 64 MiB for each hash. Hashed in a service process, that memory comes on top of
the process's own for as long as the hash runs (a sign-in during a big upload's apply took the
embedded server and the stack's identity api above 150 MB); hashed here, it is this small
child's. One request a line on stdin (``[name, [args]]`` in JSON), one answer a line on stdout.
The child ends when its parent closes the pipe, a kill -9 of the parent included.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from shared.argon2id import hash_secret, verify_secret
from shared.errors import DomainError

NICENESS = 10
ROOT = Path(__file__).resolve().parents[1]


def serve(requests: IO[str], answers: IO[str]) -> None:
    """Answer each request line until the parent closes the pipe."""
    operations: dict[str, Callable[..., object]] = {"hash_secret": hash_secret,
                                                    "verify_secret": verify_secret}
    for line in requests:
        name, args = json.loads(line)
        try:
            answer = operations[name](*args)
        except Exception as error:  # noqa: BLE001 - a bad input must not end the child
            answer = {"error": type(error).__name__}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def _lower_priority() -> None:
    """A hash yields the CPU to the servers' event loops, so a flood of sign-ins slows the
    sign-ins, not every other request."""
    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):  # not allowed: run at normal priority
        return


class HashingChild:
    """One child process, used by one thread at a time (each pool thread has its own)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None

    def call(self, name: str, *args: str) -> object:
        for _ in range(2):  # a child that died (killed, out of memory) is replaced once
            answer = self._ask(self._started(), name, args)
            if answer:
                return _result(json.loads(answer), name)
            self.close()
        raise DomainError("AUTH-BUSY", "Sign-ins cannot be checked right now.", status=503,
                          retry_after=5, fix="Try again in a few seconds.")

    @staticmethod
    def _ask(process: subprocess.Popen[str], name: str, args: tuple[str, ...]) -> str:
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps([name, list(args)]) + "\n")
            process.stdin.flush()
            return process.stdout.readline()
        except (OSError, ValueError):
            return ""

    def _started(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(  # run from ROOT, so -m finds this package
                [sys.executable, "-m", "shared.hashing_child"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True, bufsize=1, cwd=ROOT)
        return self._process

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                # a dead child's pipe: what is still buffered cannot be written (EPIPE)
                with contextlib.suppress(OSError, ValueError):
                    process.stdin.close()
            process.kill()
            process.wait()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid


def _result(answer: object, name: str) -> object:
    if isinstance(answer, dict):  # the operation failed in the child (the child lives on)
        raise ValueError(f"{name} failed in the hashing child: {answer.get('error')}")
    return answer


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent; EOF ends this
    _lower_priority()
    serve(sys.stdin, sys.stdout)


if __name__ == "__main__":
    main()
