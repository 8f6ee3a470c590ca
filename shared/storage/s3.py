"""ObjectStore on S3 (AWS, MinIO, moto) with boto3; blocking calls run in worker threads."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import structlog
from botocore.config import Config
from botocore.exceptions import ClientError

from shared.storage.ports import NotFound, StoredObject, TooLarge, bytes_chunks, check_key

log = structlog.get_logger()

PART_SIZE = 8 << 20  # 8 MiB multipart parts (S3 wants >= 5 MiB for every part but the last)
_MISSING = {"NoSuchKey", "404", "NotFound"}


def _is_missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code", "")) in _MISSING


class _MultipartUpload:
    """One multipart upload in progress: send parts, then complete or abort."""

    def __init__(self, client: Any, bucket: str, key: str, upload_id: str) -> None:
        self._client, self._bucket, self._key, self._id = client, bucket, key, upload_id
        self._parts: list[dict[str, Any]] = []

    @classmethod
    async def begin(cls, client: Any, bucket: str, key: str, content_type: str) -> _MultipartUpload:
        response = await asyncio.to_thread(
            client.create_multipart_upload, Bucket=bucket, Key=key, ContentType=content_type
        )
        return cls(client, bucket, key, str(response["UploadId"]))

    async def send(self, data: bytes) -> None:
        number = len(self._parts) + 1
        response = await asyncio.to_thread(
            self._client.upload_part,
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._id,
            PartNumber=number,
            Body=data,
        )
        self._parts.append({"PartNumber": number, "ETag": response["ETag"]})

    async def complete(self) -> None:
        await asyncio.to_thread(
            self._client.complete_multipart_upload,
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._id,
            MultipartUpload={"Parts": self._parts},
        )

    async def abort(self) -> None:
        try:
            await asyncio.to_thread(
                self._client.abort_multipart_upload,
                Bucket=self._bucket,
                Key=self._key,
                UploadId=self._id,
            )
        except ClientError:
            log.warning("storage.multipart_abort_failed", key=self._key, upload_id=self._id)


class S3ObjectStore:
    """Objects in one S3 bucket. Bodies up to one part go in a single PUT; bigger ones in
    8 MiB multipart parts, so at most one part is held in memory at a time."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key: str | None = None,
        secret_key: str | None = None,
        part_size: int = PART_SIZE,
    ) -> None:
        self.bucket = bucket
        self.region = region
        self.part_size = part_size
        config = Config(
            region_name=region,
            retries={"max_attempts": 5, "mode": "standard"},
            s3={"addressing_style": "path"} if endpoint_url else None,
            max_pool_connections=20,
        )
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=config,
        )

    def __repr__(self) -> str:
        return f"S3ObjectStore({self.bucket!r}, endpoint_url={self._client.meta.endpoint_url!r})"

    async def ensure_bucket(self) -> None:
        """Create the bucket unless it exists."""
        try:
            await asyncio.to_thread(self._client.head_bucket, Bucket=self.bucket)
            return
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) not in {"404", "NoSuchBucket"}:
                raise
        kwargs: dict[str, Any] = {"Bucket": self.bucket}
        if self.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        try:
            await asyncio.to_thread(self._client.create_bucket, **kwargs)
        except self._client.exceptions.BucketAlreadyOwnedByYou:
            return
        log.info("storage.bucket_created", bucket=self.bucket)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        *,
        content_type: str = "application/octet-stream",
        max_bytes: int | None = None,
    ) -> StoredObject:
        check_key(key)
        digest, size, buffer = hashlib.sha256(), 0, bytearray()
        upload: _MultipartUpload | None = None
        try:
            async for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise TooLarge(f"{key}: more than {max_bytes} bytes")
                digest.update(chunk)
                buffer += chunk
                while len(buffer) >= self.part_size:
                    if upload is None:
                        upload = await _MultipartUpload.begin(
                            self._client, self.bucket, key, content_type
                        )
                    with memoryview(buffer) as view:
                        part = bytes(view[: self.part_size])  # one copy, not two
                    del buffer[: self.part_size]
                    await upload.send(part)
            await self._finish(key, upload, buffer, content_type)  # not copied again
        except BaseException:
            if upload is not None:
                await upload.abort()
            raise
        log.debug("storage.stored", key=key, size=size, backend="s3", multipart=bool(upload))
        return StoredObject(key=key, size=size, sha256=digest.hexdigest())

    async def _finish(
        self, key: str, upload: _MultipartUpload | None, rest: bytes | bytearray,
        content_type: str,
    ) -> None:
        if upload is None:
            await asyncio.to_thread(
                self._client.put_object,
                Bucket=self.bucket,
                Key=key,
                Body=rest,
                ContentType=content_type,
            )
            return
        if rest:
            await upload.send(bytes(rest))
        await upload.complete()

    async def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = "application/octet-stream",
    ) -> StoredObject:
        return await self.put_stream(
            key, bytes_chunks(data, self.part_size), content_type=content_type
        )

    async def get_bytes(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get_bytes_sync, key)

    def _get_bytes_sync(self, key: str) -> bytes:
        body = self._get_body(key)
        try:
            return bytes(body.read())
        finally:
            body.close()

    def _get_body(self, key: str) -> Any:
        check_key(key)
        try:
            return self._client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as exc:
            if _is_missing(exc):
                raise NotFound(key) from exc
            raise

    def iter_chunks(self, key: str, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        return _read_chunks(self._get_body(key), chunk_size)

    async def exists(self, key: str) -> bool:
        check_key(key)
        try:
            await asyncio.to_thread(self._client.head_object, Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_missing(exc):
                return False
            raise
        return True

    async def delete(self, key: str) -> None:
        check_key(key)
        await asyncio.to_thread(self._client.delete_object, Bucket=self.bucket, Key=key)


def _read_chunks(body: Any, chunk_size: int) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(chunk_size)
    finally:
        body.close()
