"""One contract suite for every ObjectStore: the local directory and S3 (on moto)."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from shared.storage.factory import open_store
from shared.storage.local import LocalObjectStore
from shared.storage.ports import InvalidKey, NotFound, ObjectStore, TooLarge
from shared.storage.s3 import S3ObjectStore
from shared.testing.moto_s3 import MotoServer

MIB = 1 << 20


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.realstack)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return open_store(str(tmp_path / "objects"))
    s3_server: MotoServer = request.getfixturevalue("s3_server")
    bucket = s3_server.create_bucket(f"contract-{uuid.uuid4().hex[:16]}")
    return open_store(s3_server.store_url(bucket))


def _body(size_mib: int) -> Iterator[bytes]:
    """Deterministic, incompressible-looking 1 MiB blocks."""
    for index in range(size_mib):
        seed = hashlib.sha256(index.to_bytes(4, "big")).digest()
        yield seed * (MIB // len(seed))


async def _stream(blocks: Iterator[bytes]) -> AsyncIterator[bytes]:
    for block in blocks:
        yield block


async def _failing_stream(after: int) -> AsyncIterator[bytes]:
    for block in _body(after):
        yield block
    raise ConnectionResetError("client went away")


async def test_round_trip(store: ObjectStore) -> None:
    stored = await store.put_bytes("report.csv", b"a,b\n1,2\n", content_type="text/csv")
    assert stored.key == "report.csv"
    assert stored.size == 8
    assert stored.sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert await store.exists("report.csv")
    assert await store.get_bytes("report.csv") == b"a,b\n1,2\n"
    assert b"".join(store.iter_chunks("report.csv")) == b"a,b\n1,2\n"


async def test_empty_object(store: ObjectStore) -> None:
    stored = await store.put_bytes("empty", b"")
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert await store.get_bytes("empty") == b""
    assert list(store.iter_chunks("empty")) == []


async def test_overwrite_replaces_the_object(store: ObjectStore) -> None:
    await store.put_bytes("k", b"first")
    await store.put_bytes("k", b"second")
    assert await store.get_bytes("k") == b"second"


async def test_streams_a_large_body_and_reads_it_back_in_chunks(store: ObjectStore) -> None:
    expected = hashlib.sha256()
    for block in _body(20):
        expected.update(block)
    stored = await store.put_stream("uploads/big.bin", _stream(_body(20)), max_bytes=21 * MIB)
    assert stored.size == 20 * MIB
    assert stored.sha256 == expected.hexdigest()
    read_back, total, count = hashlib.sha256(), 0, 0
    for chunk in store.iter_chunks("uploads/big.bin", chunk_size=MIB):
        assert 0 < len(chunk) <= MIB
        read_back.update(chunk)
        total, count = total + len(chunk), count + 1
    assert (total, read_back.hexdigest()) == (20 * MIB, expected.hexdigest())
    assert count >= 20


async def test_too_large_leaves_nothing(store: ObjectStore) -> None:
    with pytest.raises(TooLarge):
        await store.put_stream("uploads/huge.bin", _stream(_body(12)), max_bytes=10 * MIB)
    assert not await store.exists("uploads/huge.bin")
    with pytest.raises(NotFound):
        await store.get_bytes("uploads/huge.bin")


async def test_too_large_keeps_the_previous_object(store: ObjectStore) -> None:
    await store.put_bytes("k", b"kept")
    with pytest.raises(TooLarge):
        await store.put_stream("k", _stream(iter([b"x" * 10, b"y" * 10])), max_bytes=15)
    assert await store.get_bytes("k") == b"kept"


async def test_a_failing_stream_leaves_nothing(store: ObjectStore) -> None:
    with pytest.raises(ConnectionResetError):
        await store.put_stream("uploads/broken.bin", _failing_stream(after=9))
    assert not await store.exists("uploads/broken.bin")


async def test_a_cancelled_upload_leaves_nothing(store: ObjectStore) -> None:
    started = asyncio.Event()

    async def stalled() -> AsyncIterator[bytes]:
        for block in _body(9):  # past one S3 part, so a multipart upload is under way
            yield block
        started.set()
        await asyncio.Event().wait()
        yield b""

    upload = asyncio.create_task(store.put_stream("uploads/cancelled.bin", stalled()))
    await asyncio.wait_for(started.wait(), timeout=10)
    upload.cancel()
    with pytest.raises(asyncio.CancelledError):
        await upload
    assert not await store.exists("uploads/cancelled.bin")


async def test_missing_keys_raise_not_found(store: ObjectStore) -> None:
    assert not await store.exists("nothing/here")
    with pytest.raises(NotFound):
        await store.get_bytes("nothing/here")
    with pytest.raises(NotFound):
        store.iter_chunks("nothing/here")  # raised at call time, before iterating
    with pytest.raises(NotFound):
        list(store.iter_chunks("nothing"))


async def test_keys_with_slashes(store: ObjectStore) -> None:
    await store.put_bytes("sitedata/2025/06/upload-1.csv", b"one")
    await store.put_bytes("sitedata/2025/06/upload-2.csv", b"two")
    assert await store.get_bytes("sitedata/2025/06/upload-1.csv") == b"one"
    assert await store.get_bytes("sitedata/2025/06/upload-2.csv") == b"two"
    assert not await store.exists("sitedata/2025/06")
    assert not await store.exists("sitedata/2025")


async def test_delete_is_idempotent(store: ObjectStore) -> None:
    await store.put_bytes("a/b/c.txt", b"x")
    await store.delete("a/b/c.txt")
    assert not await store.exists("a/b/c.txt")
    await store.delete("a/b/c.txt")
    await store.delete("never/existed")


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "../outside",
        "a/../../b",
        "a//b",
        "a/./b",
        "a/",
        "nul\x00byte",
        "back\\slash",
        "x" * 1025,
    ],
)
async def test_bad_keys_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        await store.put_bytes(key, b"x")
    with pytest.raises(InvalidKey):
        await store.get_bytes(key)
    with pytest.raises(InvalidKey):
        store.iter_chunks(key)
    with pytest.raises(InvalidKey):
        await store.delete(key)


# --- what only one backend can show ----------------------------------------------------------


async def test_local_writes_are_atomic_and_leave_no_partial_files(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    with pytest.raises(ConnectionResetError):
        await store.put_stream("k", _failing_stream(after=2))
    with pytest.raises(TooLarge):
        await store.put_stream("k", _stream(_body(3)), max_bytes=MIB)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    await store.put_bytes("dir/k", b"x")
    assert (tmp_path / "dir" / "k").read_bytes() == b"x"
    with pytest.raises(InvalidKey):
        await store.put_bytes(".incoming/x", b"x")


async def test_local_refuses_keys_that_escape_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    store = LocalObjectStore(tmp_path / "root")
    (tmp_path / "root" / "link").symlink_to(tmp_path / "outside")
    with pytest.raises(InvalidKey):
        await store.put_bytes("link/x", b"x")


@pytest.mark.realstack
async def test_s3_uses_multipart_and_aborts_it(s3_server: MotoServer) -> None:
    bucket = s3_server.create_bucket(f"multipart-{uuid.uuid4().hex[:16]}")
    store = open_store(s3_server.store_url(bucket))
    client = s3_server.client()
    await store.put_stream("big", _stream(_body(20)))
    assert client.head_object(Bucket=bucket, Key="big")["ETag"].endswith('-3"')  # 8+8+4 MiB
    with pytest.raises(TooLarge):
        await store.put_stream("huge", _stream(_body(20)), max_bytes=17 * MIB)
    with pytest.raises(ConnectionResetError):
        await store.put_stream("broken", _failing_stream(after=9))
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


@pytest.mark.realstack
async def test_s3_ensure_bucket_creates_it_once(s3_server: MotoServer) -> None:
    store = S3ObjectStore(
        f"ensured-{uuid.uuid4().hex[:16]}",
        endpoint_url=s3_server.endpoint,
        access_key="testing",
        secret_key="testing",
    )
    await store.ensure_bucket()
    await store.ensure_bucket()
    await store.put_bytes("k", b"v")
    assert await store.get_bytes("k") == b"v"


def test_open_store_urls(tmp_path: Path) -> None:
    assert isinstance(open_store(f"file://{tmp_path}/a"), LocalObjectStore)
    assert isinstance(open_store(str(tmp_path / "b")), LocalObjectStore)
    s3 = open_store(
        "s3://bucket?endpoint=http://127.0.0.1:9000&region=eu-west-1"
        "&access_key=k&secret_key=hunter2"
    )
    assert isinstance(s3, S3ObjectStore)
    assert (s3.bucket, s3.region) == ("bucket", "eu-west-1")
    for bad in [
        "ftp://x",
        "s3://",
        "s3://bucket/path?secret_key=hunter2",
        "s3://b?colour=red",
        "file://host/path",
        "",
    ]:
        with pytest.raises(ValueError) as refused:
            open_store(bad)
        assert "hunter2" not in str(refused.value)
