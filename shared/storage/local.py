"""ObjectStore on a local directory: `root/<key>`, written to a temp file then renamed."""

from __future__ import annotations

import asyncio
import fcntl
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
    place once complete and fsynced, so a crash never leaves a half object under a key.

    A write holds a lock on its partial file while it runs; a partial file nobody holds was
    left by a process that died mid-transfer (kill -9), and is removed when a store opens on
    the directory (``sweep_incoming``), while other processes' live writes are left alone.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._incoming = self.root / INCOMING_DIR
        self._incoming.mkdir(parents=True, exist_ok=True)
        self.sweep_incoming()

    def sweep_incoming(self) -> int:
        """Remove the partial files of writes that are no longer running; how many."""
        removed = 0
        for path in self._incoming.glob("*.part"):
            if _orphan(path):
                path.unlink(missing_ok=True)
                removed += 1
        if removed:
            log.warning("storage.orphans_removed", count=removed, folder=str(self._incoming))
        return removed

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
        # opened here, not in a thread: a cancellation while a thread opens it would leave
        # the file behind with nobody to remove it
        handle = _open_locked(temp)
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


def _open_locked(temp: Path) -> BinaryIO:
    handle = temp.open("wb")
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new name: always free
    return handle


def _orphan(path: Path) -> bool:
    """Nobody holds the partial file's lock: its writer is gone."""
    try:
        with path.open("rb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True  # the lock is released when the handle closes
    except BlockingIOError:
        return False
    except FileNotFoundError:
        return False


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
