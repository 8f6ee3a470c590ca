"""ObjectStore on a local directory: `root/<key>`, written to a temp file then renamed."""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import BinaryIO

import structlog

from shared.storage.ports import (
    InvalidKey,
    NotFound,
    StoredObject,
    TooLarge,
    bytes_chunks,
    check_key,
)

log = structlog.get_logger()

INCOMING_DIR = ".incoming"  # partial uploads live here, never under a key


class LocalObjectStore:
    """Objects as files under `root`. A write goes to `root/.incoming/` and is renamed into
    place once complete and fsynced, so a crash never leaves a half object under a key."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._incoming = self.root / INCOMING_DIR
        self._incoming.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"LocalObjectStore({str(self.root)!r})"

    def path_of(self, key: str) -> Path:
        """The file that holds `key` (whether or not it exists)."""
        check_key(key)
        if key.split("/", 1)[0] == INCOMING_DIR:
            raise InvalidKey(f"keys under {INCOMING_DIR}/ are reserved by the local store")
        path = self.root.joinpath(*key.split("/"))
        if not path.resolve().is_relative_to(self.root):
            raise InvalidKey(f"object key {key!r} leads outside the store (a symlink?)")
        return path

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        *,
        content_type: str = "application/octet-stream",
        max_bytes: int | None = None,
    ) -> StoredObject:
        target = self.path_of(key)
        temp = self._incoming / f"{uuid.uuid4().hex}.part"
        digest, size = hashlib.sha256(), 0
        handle = await asyncio.to_thread(temp.open, "wb")
        try:
            async for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise TooLarge(f"{key}: more than {max_bytes} bytes")
                digest.update(chunk)
                await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(_close_and_move, handle, temp, target)
        except BaseException:
            handle.close()
            temp.unlink(missing_ok=True)
            raise
        log.debug("storage.stored", key=key, size=size, backend="local")
        return StoredObject(key=key, size=size, sha256=digest.hexdigest())

    async def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
    ) -> StoredObject:
        return await self.put_stream(key, bytes_chunks(data), content_type=content_type)

    async def get_bytes(self, key: str) -> bytes:
        path = self.path_of(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise NotFound(key) from exc

    def iter_chunks(self, key: str, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        path = self.path_of(key)
        try:
            handle = path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise NotFound(key) from exc
        return _read_chunks(handle, chunk_size)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path_of(key).is_file)

    async def delete(self, key: str) -> None:
        path = self.path_of(key)
        await asyncio.to_thread(_remove, path)


def _close_and_move(handle: BinaryIO, temp: Path, target: Path) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, target)


def _read_chunks(handle: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(chunk_size):
            yield chunk


def _remove(path: Path) -> None:
    """Remove the file if it is there. Empty directories stay: pruning them would race with a
    concurrent write into the same directory."""
    try:
        path.unlink()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return
