"""argon2id runs in a child process: its 64 MiB is never the server's, and a child that dies
is replaced without the sign-in that met it failing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import psutil
import pytest

from shared.hashing import (
    DUMMY_HASH,
    hash_secret,
    needs_rehash,
    verify_off_loop,
    verify_secret,
)
from shared.hashing_child import HashingChild


@pytest.fixture
def child() -> Iterator[HashingChild]:
    started = HashingChild()
    yield started
    started.close()


def test_the_child_hashes_and_checks_as_this_process_does(child: HashingChild) -> None:
    hashed = child.call("hash_secret", "Str0ng-Passw0rd!")
    assert isinstance(hashed, str) and verify_secret(hashed, "Str0ng-Passw0rd!")
    assert child.call("verify_secret", hash_secret("x" * 12), "x" * 12) is True
    assert child.call("verify_secret", hashed, "wrong") is False
    assert child.call("verify_secret", "not a hash", "wrong") is False


def test_a_killed_child_is_replaced_and_the_next_hash_still_answers(
        child: HashingChild) -> None:
    hashed = str(child.call("hash_secret", "Str0ng-Passw0rd!"))
    first = child.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    assert child.call("verify_secret", hashed, "Str0ng-Passw0rd!") is True
    assert child.pid not in (None, first)


def test_a_child_whose_pipe_broke_before_it_was_reaped_is_replaced(
        child: HashingChild) -> None:
    """The race of a killed child not yet reaped: alive to ``poll()``, its pipe already
    refusing what is written (EPIPE), the unwritten line left in the buffer."""
    deaf = subprocess.Popen(  # closes its ends of the pipes, stays alive
        [sys.executable, "-c", "import os, time; os.close(0); os.close(1); time.sleep(60)"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert deaf.stdout is not None and deaf.stdout.read() == ""  # its ends are closed
    child._process = deaf  # as if it were the child
    try:
        assert child.call("hash_secret", "Str0ng-Passw0rd!")
        assert child.pid not in (None, deaf.pid) and deaf.poll() is not None
    finally:
        deaf.kill()
        deaf.wait()


def test_the_child_ends_when_its_parent_closes_the_pipe(child: HashingChild) -> None:
    child.call("verify_secret", DUMMY_HASH, "x")
    process = psutil.Process(child.pid)
    child._process.stdin.close()  # type: ignore[union-attr]  # what a parent's kill -9 does
    assert process.wait(timeout=10) == 0


PEAKS = """
import asyncio
from shared.hashing import DUMMY_HASH, HashingPool, verify_secret

def peak():  # KiB, this process's peak since its exec (ru_maxrss starts at its parent's)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

async def main():
    pool = HashingPool(workers=1)
    before = peak()
    await asyncio.gather(*(pool.run(verify_secret, DUMMY_HASH, "guess") for _ in range(3)))
    in_child = peak() - before
    verify_secret(DUMMY_HASH, "guess")
    print(in_child, peak() - before)

asyncio.run(main())
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads Linux's VmHWM")
def test_a_servers_hashes_take_no_memory_in_its_own_process() -> None:
    done = subprocess.run([sys.executable, "-c", PEAKS], capture_output=True, text=True,
                          timeout=60, check=True)
    in_child_kib, in_process_kib = map(int, done.stdout.split())
    assert in_child_kib < 16 * 1024
    assert in_process_kib > 48 * 1024  # the same hash in the process itself: 64 MiB


async def test_an_unknown_user_costs_the_same_hash_as_a_real_one() -> None:
    assert not needs_rehash(DUMMY_HASH)  # made with the parameters every new hash gets
    assert await verify_off_loop(DUMMY_HASH, "anything") is False


@pytest.mark.parametrize("secret", ["Pässwörd-ünïcode-2026", "line\nbreak\t\"quoted\""])
def test_any_password_a_person_can_type_crosses_to_the_child_intact(
        child: HashingChild, secret: str) -> None:
    assert verify_secret(str(child.call("hash_secret", secret)), secret)


def test_a_text_argon2_cannot_take_fails_that_call_and_not_the_child(
        child: HashingChild) -> None:
    assert child.call("verify_secret", DUMMY_HASH, "\ud800") is False  # matches nothing
    first = child.pid
    with pytest.raises(ValueError, match="UnicodeEncodeError"):
        child.call("hash_secret", "\ud800")
    assert child.pid == first and child.call("verify_secret", DUMMY_HASH, "x") is False
