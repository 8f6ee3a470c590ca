"""Checking a big file in a child process, for a process that also answers people.

In the embedded system the web, every consumer and the checker share one interpreter, so one
GIL: a 59 MB file checked in a thread holds it in long regex and string calls, and every other
account's requests wait behind them (reads took ~40 ms instead of 5). A child process checks
on the other core instead. The parent's thread reads the object and feeds the child its
chunks (``feed``); the child validates and batches exactly as the thread would
(``StagingSink``) and sends back each batch, which the parent hands over as before; a licence
look-up goes to the parent (the registry is its database) and the answer comes back.

Nothing changes for the store: the parent writes every batch, under the same lease. If the
child dies, the attempt fails and is tried again like any other; if the parent dies, the
child finds its pipes closed and ends.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from multiprocessing.connection import Connection

from services.sitedata.adapters.rows import (
    Batch,
    Cancelled,
    Checked,
    Encode,
    LicenceCheck,
    Progress,
    check_in_thread,
)
from services.sitedata.domain.validation import Finding

# spawn: the parent has threads and an event loop, which a fork would copy half-way
_CONTEXT = multiprocessing.get_context("spawn")
POLL_S = 0.2  # how often a parent waiting on the child looks at ``progress.cancel``


class ChildDied(RuntimeError):
    """The checking process ended without a verdict."""


def check_in_child(chunks: Iterable[bytes], upload_id: str, filename: str, today: date,
                   licence_check: LicenceCheck, encode: Encode,
                   hand_over: Callable[[Batch], None], progress: Progress) -> Checked:
    """What ``validate`` with a ``StagingSink`` gives, computed in a child (call it from a
    worker thread: it blocks)."""
    chunks_out, chunks_in = _CONTEXT.Pipe(duplex=False)
    news_in, news_out = _CONTEXT.Pipe(duplex=False)
    answers_in, answers_out = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child_main, name=f"check-{upload_id}", daemon=True,
        args=(chunks_out, news_out, answers_in, upload_id, filename, today, encode))
    child.start()
    for end in (chunks_out, news_out, answers_in):
        end.close()  # the child's ends: closed here, so a dead child is seen as EOF
    failure: list[BaseException] = []
    feeder = threading.Thread(target=_feed, args=(chunks, chunks_in, failure), daemon=True)
    feeder.start()
    try:
        return _listen(news_in, answers_out, licence_check, hand_over, progress, failure)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        for end in (chunks_in, news_in, answers_out):
            end.close()
        feeder.join()


def _feed(chunks: Iterable[bytes], out: Connection, failure: list[BaseException]) -> None:
    """The object to the child, chunk by chunk; an empty message ends it. A failure to read
    the object (the store, or the attempt given up) is kept for the listener and the child's
    input closed, so the child stops; a failure to send means the child is gone."""
    try:
        for chunk in chunks:
            if chunk and not _send(out, chunk):
                return
        _send(out, b"")
    except BaseException as error:  # noqa: BLE001 - the listener raises it
        failure.append(error)
        out.close()


def _send(out: Connection, data: bytes) -> bool:
    try:
        out.send_bytes(data)
        return True
    except OSError:  # BrokenPipeError included: the child is gone, the listener says why
        return False


def _listen(news: Connection, answers: Connection, licence_check: LicenceCheck,
            hand_over: Callable[[Batch], None], progress: Progress,
            failure: list[BaseException]) -> Checked:
    while True:
        if progress.cancel.is_set():
            raise Cancelled("the attempt was given up")
        if not news.poll(POLL_S):
            continue
        try:
            kind, value = news.recv()
        except EOFError:
            raise _why(failure, ChildDied("the checking process ended")) from None
        if kind == "batch":
            progress.rows, batch = value
            hand_over(batch)
        elif kind == "check":
            answers.send(licence_check(value))
        elif kind == "done":
            progress.rows, checked = value
            return checked
        else:
            raise _why(failure, ChildDied(f"the checking process failed: {value}"))


def _why(failure: list[BaseException], otherwise: BaseException) -> BaseException:
    return failure[0] if failure else otherwise


def _child_main(chunks: Connection, news: Connection, answers: Connection, upload_id: str,
                filename: str, today: date, encode: Encode) -> None:
    progress = Progress()

    def received() -> Iterator[bytes]:
        while data := chunks.recv_bytes():  # EOFError: the parent stopped feeding
            yield data

    def hand_over(batch: Batch) -> None:
        news.send(("batch", (progress.rows, batch)))

    def check(licence: str) -> Finding | None:
        news.send(("check", licence))
        answer: Finding | None = answers.recv()
        return answer

    try:
        checked = check_in_thread(received(), upload_id, filename, today, check, encode,
                                  hand_over, progress)
        news.send(("done", (progress.rows, checked)))
    except (BrokenPipeError, EOFError, OSError):
        return  # the parent is gone or gave up: nobody to tell
    except BaseException as error:  # noqa: BLE001 - told to the parent, which logs it
        news.send(("error", f"{type(error).__name__}: {error}"))

