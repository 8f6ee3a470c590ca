"""Reading: byte chunks in, decoded text out (in blocks that end at a line end, and as lines),
with size, SHA-256 and the F1/F2/F3 checks made on the way. Memory stays flat: only the
current chunk and its decoded block are held.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

from .file_rules import sniff_kind, too_large
from .findings import MAX_BYTES, Finding

FALLBACK_ERRORS = "sitedata-windows-1252"
SNIFF_BYTES = 8
LINE_LIMIT = 64 * 1024  # a longer physical line is read in pieces (and is an error anyway)
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


def decoded_blocks(chunks: Iterable[bytes], meter: Meter,
                   limit: int = LINE_LIMIT) -> Iterator[str]:
    """The upload decoded, a block (about one chunk) at a time: UTF-8 (BOM dropped) with the
    Windows-1252 fallback; every chunk is metered first. A block ends at a line end (CR LF,
    CR or LF), except the last one and the pieces of a line without an end in sight (whole
    multiples of ``limit`` characters from the line's start)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(FALLBACK_ERRORS)
    carry = ""
    for chunk in chunks:
        if not chunk:
            continue
        meter.feed(chunk)
        text = carry + decoder.decode(chunk)
        # after the last LF, or the last CR that is not the last character (an LF may follow)
        cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1
        carry = text[cut:]
        if len(carry) > limit:  # no line end in sight: hand out the whole pieces
            whole = (len(carry) - 1) // limit * limit
            cut, carry = cut + whole, carry[whole:]
        yield text[:cut]
    meter.finish()
    yield carry + decoder.decode(b"", True)


class Source:
    """The decoded text, read either a line at a time (iterating) or, by the engine's block
    path, straight from ``text`` at ``pos``. Lines are exactly what ``readline(limit)`` on a
    text stream with ``newline=""`` returns: split at CR LF, CR or LF, line ends kept, a
    longer line cut into pieces of ``limit`` characters. Lines pushed back (after an F4
    error) come first."""

    def __init__(self, blocks: Iterator[str], limit: int = LINE_LIMIT) -> None:
        self._blocks = blocks
        self._line = _line_regex(limit)
        self.limit = limit
        self.text = ""
        self.pos = 0
        self.pending: list[str] = []  # a stack: the next line last

    def __iter__(self) -> Source:
        return self

    def __next__(self) -> str:
        if self.pending:
            return self.pending.pop()
        if not self.ready():
            raise StopIteration
        match = self._line.match(self.text, self.pos)
        assert match is not None  # it matches the empty string too
        line = self.text[self.pos : min(match.end(), self.pos + self.limit)]
        self.pos += len(line)
        return line

    def ready(self) -> bool:
        """Whether ``text`` holds more at ``pos`` (the next block is read when needed)."""
        while self.pos >= len(self.text):
            block = next(self._blocks, None)
            if block is None:
                return False
            self.text, self.pos = block, 0
        return True

    def push_back(self, lines: list[str]) -> None:
        """These lines are read again, before any other."""
        self.pending.extend(reversed(lines))


@cache
def _line_regex(limit: int) -> re.Pattern[str]:
    """A line: up to ``limit`` characters (cut after the match) and its end, if any."""
    return re.compile(f"[^\\r\\n]{{0,{limit}}}(?:\\r\\n|\\r|\\n|)")
