"""The object store port: one interface, implemented on a local directory and on S3.

Keys are `/`-separated relative names (`uploads/2025/06/abc.csv`). The same rules apply on
every backend so that code tested on the local store behaves the same on S3.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

MAX_KEY_BYTES = 1024  # the S3 limit


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    sha256: str  # hex


class TooLarge(Exception):
    """`put_stream` saw more than `max_bytes`; nothing is left stored under the key."""


class NotFound(Exception):
    """No object under this key."""


class InvalidKey(ValueError):
    """The key is empty, absolute, has `.`/`..`/empty segments or control characters."""


@runtime_checkable
class ObjectStore(Protocol):
    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        *,
        content_type: str = "application/octet-stream",
        max_bytes: int | None = None,
    ) -> StoredObject:
        """Store the chunks under `key` without holding the whole body; atomic: either the
        whole object is stored or nothing is (TooLarge, an error or a cancellation)."""
        ...

    async def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
    ) -> StoredObject: ...

    async def get_bytes(self, key: str) -> bytes:
        """The whole object; NotFound when missing."""
        ...

    def iter_chunks(self, key: str, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        """SYNC streaming read (for worker threads). Raises NotFound at call time, before
        iteration; chunks are at most `chunk_size` bytes."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""
        ...


def check_key(key: str) -> str:
    """Return `key` if it is a valid object key, else raise InvalidKey saying why."""
    if not key:
        raise InvalidKey("an object key must not be empty")
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise InvalidKey(f"an object key must be at most {MAX_KEY_BYTES} bytes")
    if key.startswith("/"):
        raise InvalidKey(f"an object key must be relative, not {key!r}")
    if any(ord(ch) < 32 or ch == "\x7f" or ch == "\\" for ch in key):
        raise InvalidKey(f"an object key must not contain control characters or '\\': {key!r}")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise InvalidKey(f"an object key must not have empty, '.' or '..' segments: {key!r}")
    return key


async def bytes_chunks(data: bytes, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
    """`data` as an async stream of chunks (how `put_bytes` reuses `put_stream`)."""
    for start in range(0, len(data), chunk_size):
        yield data[start : start + chunk_size]
