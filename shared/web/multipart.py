"""Streaming multipart/form-data: a file part flows to a sink while the body arrives.

FastAPI's ``UploadFile`` spools the whole body before the handler runs; an upload here must
flow to the object store as it arrives, and be refused at the door when too large.

A body that is not well-formed multipart (no closing boundary, a broken header, a second file,
too many or too large fields) is a 400 problem at once; the sink is cancelled and awaited, so
it removes whatever it had started to store.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header
from starlette.requests import ClientDisconnect, Request

from shared.errors import DomainError

T = TypeVar("T")
Sink = Callable[[str, AsyncIterator[bytes]], Coroutine[Any, Any, T]]
Guard = Callable[[Mapping[str, str]], None]
MAX_FIELD = 64 * 1024
MAX_FIELDS = 32
MAX_HEADER = 8 * 1024


def malformed(detail: str) -> DomainError:
    return DomainError("REQUEST-MULTIPART-INVALID", f"The form data is not well-formed: "
                       f"{detail}.", fix="Send one file as multipart/form-data, as a browser "
                       "form or curl -F file=@… does.")


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


class _State:
    def __init__(self, guard: Guard | None) -> None:
        self.part = _Part()
        self.header_field = b""
        self.header_value = b""
        self.fields: dict[str, str] = {}
        self.file_chunks: list[bytes] = []
        self.file_started: str | None = None
        self.file_ended = False
        self.in_file = False
        self.guard = guard
        self.guarded = False

    def check_guard(self) -> None:
        if self.guard is not None and not self.guarded:
            self.guarded = True
            self.guard(self.fields)


def _callbacks(state: _State, file_field: str) -> dict[str, Any]:
    def on_part_begin() -> None:
        state.part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state.header_field += data[start:end]
        if len(state.header_field) > MAX_HEADER:
            raise malformed("a part header is too long")

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state.header_value += data[start:end]
        if len(state.header_value) > MAX_HEADER:
            raise malformed("a part header is too long")

    def on_header_end() -> None:
        if len(state.part.headers) >= 16:
            raise malformed("a part has too many headers")
        state.part.headers[state.header_field.lower()] = state.header_value
        state.header_field, state.header_value = b"", b""

    def on_headers_finished() -> None:
        _, options = parse_options_header(state.part.headers.get(b"content-disposition", b""))
        state.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        state.part.filename = None if raw is None else raw.decode("utf-8", "replace")
        state.in_file = state.part.name == file_field and state.part.filename is not None
        if state.in_file:
            if state.file_started is not None:
                raise malformed(f"more than one file in the field '{file_field}'")
            state.check_guard()  # before a byte of the file goes anywhere
            state.file_started = state.part.filename
        elif len(state.fields) >= MAX_FIELDS:
            raise malformed("too many fields")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state.in_file:
            state.file_chunks.append(bytes(data[start:end]))
        elif len(state.part.data) + end - start > MAX_FIELD:
            raise malformed(f"the field '{state.part.name}' is longer than 64 KB")
        else:
            state.part.data += data[start:end]

    def on_part_end() -> None:
        if state.in_file:
            state.file_ended = True
            state.in_file = False
        else:
            state.fields[state.part.name] = state.part.data.decode("utf-8", "replace")

    return {k: v for k, v in locals().items() if k.startswith("on_")}


def _boundary(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary", b"")
    if kind != b"multipart/form-data" or not boundary:
        raise DomainError("REQUEST-NOT-MULTIPART", "Send the file as multipart/form-data.",
                          fix="Use a form with enctype=multipart/form-data, or curl -F file=@…",
                          status=415)
    if len(boundary) > 200:
        raise malformed("the boundary is longer than 200 characters")
    return boundary


async def _queue_iter(queue: asyncio.Queue[bytes | None]) -> AsyncIterator[bytes]:
    while (chunk := await queue.get()) is not None:
        yield chunk


async def stream_form(request: Request, file_field: str, sink: Sink[T],
                      guard: Guard | None = None) -> tuple[dict[str, str], str, T]:
    """Parse the body; the file part goes to ``sink(filename, chunks)`` as it arrives.

    ``guard(fields)`` runs on the fields sent before the file, before the sink starts (or at
    the end when there is no file): a page checks its CSRF token there.
    Returns the other fields, the file name and what the sink returned.
    """
    state = _State(guard)
    parser = MultipartParser(_boundary(request), _callbacks(state, file_field))  # type: ignore[arg-type]
    queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=8)
    task: asyncio.Task[T] | None = None
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if state.file_started is not None and task is None:
                task = asyncio.create_task(sink(state.file_started, _queue_iter(queue)))
            for piece in state.file_chunks:
                await _put(queue, piece, task)
            state.file_chunks.clear()
            if state.file_ended:
                await _put(queue, None, task)
                state.file_ended = False
        parser.finalize()
        _check_complete(parser, state)
    except BaseException as exc:
        await _cancel(task)
        if isinstance(exc, FormParserError):
            raise malformed("the parts or their boundaries are broken") from None
        if isinstance(exc, ClientDisconnect):
            raise DomainError("REQUEST-INCOMPLETE", "The request body was cut off.",
                              fix="Send it again.") from None
        raise
    if task is None or state.file_started is None:
        raise DomainError("SD-FILE-MISSING", "No file was sent.", field=file_field,
                          fix=f"Attach the CSV file in the form field '{file_field}'.")
    return state.fields, state.file_started, await task


def _check_complete(parser: MultipartParser, state: _State) -> None:
    """The body ended: it must have closed its last part (a cut-off body never did)."""
    if state.in_file or (parser.state not in (MultipartState.END, MultipartState.START)):
        raise malformed("the body ends before its closing boundary")
    state.check_guard()


async def _cancel(task: asyncio.Task[Any] | None) -> None:
    """Stop the sink and wait for it, so it has removed its partial object."""
    if task is None or task.done():
        return
    task.cancel()
    try:
        await task
    except BaseException:  # noqa: BLE001 - its cancellation or its own error: both expected
        return


async def _put(queue: asyncio.Queue[bytes | None], item: bytes | None,
               task: asyncio.Task[Any] | None) -> None:
    """Queue a chunk, unless the sink already stopped (it refused the file): then raise its
    error at once, without reading the rest of the body."""
    while True:
        if task is not None and task.done():
            task.result()
            return
        try:
            await asyncio.wait_for(queue.put(item), timeout=0.5)
            return
        except TimeoutError:
            continue
