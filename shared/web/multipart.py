"""Streaming multipart/form-data: a file part flows to a sink while the body arrives.

FastAPI's ``UploadFile`` spools the whole body before the handler runs; an upload here must
flow to the object store as it arrives, and be refused at the door when too large.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from shared.errors import DomainError

T = TypeVar("T")
Sink = Callable[[str, AsyncIterator[bytes]], Coroutine[Any, Any, T]]
MAX_FIELD = 64 * 1024


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


class _State:
    def __init__(self) -> None:
        self.part = _Part()
        self.header_field = b""
        self.header_value = b""
        self.fields: dict[str, str] = {}
        self.file_chunks: list[bytes] = []
        self.file_started: str | None = None
        self.file_ended = False
        self.in_file = False


def _callbacks(state: _State, file_field: str) -> dict[str, Any]:
    def on_part_begin() -> None:
        state.part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state.header_field += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state.header_value += data[start:end]

    def on_header_end() -> None:
        state.part.headers[state.header_field.lower()] = state.header_value
        state.header_field, state.header_value = b"", b""

    def on_headers_finished() -> None:
        _, options = parse_options_header(state.part.headers.get(b"content-disposition", b""))
        state.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        state.part.filename = None if raw is None else raw.decode("utf-8", "replace")
        state.in_file = state.part.name == file_field and state.part.filename is not None
        if state.in_file:
            state.file_started = state.part.filename

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state.in_file:
            state.file_chunks.append(bytes(data[start:end]))
        elif len(state.part.data) < MAX_FIELD:
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
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise DomainError("REQUEST-NOT-MULTIPART", "Send the file as multipart/form-data.",
                          fix="Use a form with enctype=multipart/form-data, or curl -F file=@…",
                          status=415)
    return options[b"boundary"]


async def _queue_iter(queue: asyncio.Queue[bytes | None]) -> AsyncIterator[bytes]:
    while (chunk := await queue.get()) is not None:
        yield chunk


async def stream_form(request: Request, file_field: str, sink: Sink[T]
                      ) -> tuple[dict[str, str], str, T]:
    """Parse the body; the file part goes to ``sink(filename, chunks)`` as it arrives.

    Returns the other fields, the file name and what the sink returned.
    """
    state = _State()
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
    except BaseException:
        if task is not None:
            task.cancel()
        raise
    if task is None or state.file_started is None:
        raise DomainError("SD-FILE-MISSING", "No file was sent.", field=file_field,
                          fix=f"Attach the CSV file in the form field '{file_field}'.")
    return state.fields, state.file_started, await task


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
