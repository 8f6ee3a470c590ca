"""Reading: byte chunks in, decoded lines out, with size, SHA-256 and the F1/F2/F3 checks made
on the way. Memory stays flat: only the current chunk and the text layer's buffers are held.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .file_rules import sniff_kind, too_large
from .findings import MAX_BYTES, Finding

FALLBACK_ERRORS = "sitedata-windows-1252"
SNIFF_BYTES = 8
TEXT_CHUNK = 1 << 16
_state = threading.local()


class Refused(Exception):
    """The bytes cannot be a CSV upload (F1) or are too many (F2): nothing else is reported."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _windows_1252(exc: UnicodeError) -> tuple[str, int]:
    """F3: bytes that are not UTF-8 are read as Windows-1252, and counted for the warning."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    hits = getattr(_state, "hits", None)
    if hits is not None:
        hits[0] += 1
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error(FALLBACK_ERRORS, _windows_1252)


@contextmanager
def counting_fallbacks() -> Iterator[list[int]]:
    """Count, for this thread, the byte runs read as Windows-1252 while the block runs."""
    previous = getattr(_state, "hits", None)
    hits = [0]
    _state.hits = hits
    try:
        yield hits
    finally:
        _state.hits = previous


class Meter:
    """Size, SHA-256, the kind sniff and the NUL and size checks, fed chunk by chunk."""

    def __init__(self) -> None:
        self.size = 0
        self._sha = hashlib.sha256()
        self._head = b""
        self._sniffed = False

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self._sha.update(chunk)
        if not self._sniffed:
            self._head += chunk[: SNIFF_BYTES - len(self._head)]
            if len(self._head) >= SNIFF_BYTES:
                self.finish()
        if self.size > MAX_BYTES:
            raise Refused(too_large(self.size))
        if b"\x00" in chunk:
            raise Refused(_nul_finding())

    def finish(self) -> None:
        """Sniff the first bytes (done at the latest when the stream ends)."""
        if not self._sniffed:
            self._sniffed = True
            finding = sniff_kind(self._head)
            if finding is not None:
                raise Refused(finding)


def _nul_finding() -> Finding:
    finding = sniff_kind(b"\x00")
    assert finding is not None
    return finding


class ChunkStream(io.RawIOBase):
    """A readable raw stream over an iterable of byte chunks, metering what it hands out."""

    def __init__(self, chunks: Iterable[bytes], meter: Meter) -> None:
        super().__init__()
        self._chunks = iter(chunks)
        self._meter = meter
        self._view = memoryview(b"")
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._view and not self._done:
            chunk = next(self._chunks, None)
            if chunk is None:
                self._done = True
                self._meter.finish()
            elif chunk:
                self._meter.feed(chunk)
                self._view = memoryview(chunk)
        count = min(len(buffer), len(self._view))
        buffer[:count] = self._view[:count]
        self._view = self._view[count:]
        return count


def open_text(chunks: Iterable[bytes], meter: Meter) -> io.TextIOWrapper:
    """Lines of the upload, decoded as UTF-8 (BOM dropped) with the Windows-1252 fallback.
    ``newline=""`` keeps line ends as found, as the csv module needs."""
    raw = ChunkStream(chunks, meter)
    buffered = io.BufferedReader(raw, buffer_size=TEXT_CHUNK)
    text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors=FALLBACK_ERRORS, newline="")
    text._CHUNK_SIZE = TEXT_CHUNK  # type: ignore[attr-defined]
    return text
