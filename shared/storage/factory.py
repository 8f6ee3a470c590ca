"""Pick an ObjectStore from a URL in settings.

- `file:///abs/path` or a plain path (`var/objects`, `/srv/objects`) -> LocalObjectStore
- `s3://bucket?endpoint=http://127.0.0.1:9000&region=eu-west-1&access_key=...&secret_key=...`
  -> S3ObjectStore (every query parameter is optional; without keys boto3's usual credential
  chain applies)
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from shared.storage.local import LocalObjectStore
from shared.storage.ports import ObjectStore
from shared.storage.s3 import S3ObjectStore

S3_PARAMS = {"endpoint", "region", "access_key", "secret_key"}


def open_store(url: str) -> ObjectStore:
    """The ObjectStore that `url` names; ValueError saying what is wrong otherwise."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        return _open_s3(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"file URLs need an absolute path (file:///path), got {url!r}")
        return LocalObjectStore(Path(unquote(parts.path)))
    if parts.scheme == "":
        if not url.strip():
            raise ValueError("the object store URL is empty")
        return LocalObjectStore(Path(url))
    raise ValueError(
        f"unknown object store URL scheme {parts.scheme!r}: use file:///abs/path, a plain path, or "
        "s3://bucket?endpoint=...&region=...&access_key=...&secret_key=..."
    )


def _open_s3(url: str) -> S3ObjectStore:
    parts = urlsplit(url)
    bucket = parts.netloc
    if not bucket or parts.path not in ("", "/"):
        shown = f"s3://{parts.netloc}{parts.path}"  # never echo the query: it holds the secret
        raise ValueError(f"an S3 store URL is s3://bucket?..., with no path; got {shown!r}")
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = set(query) - S3_PARAMS
    if unknown:
        raise ValueError(
            f"unknown S3 store parameter(s) {sorted(unknown)}; known: {sorted(S3_PARAMS)}"
        )
    return S3ObjectStore(
        bucket,
        endpoint_url=query.get("endpoint"),
        region=query.get("region", "us-east-1"),
        access_key=query.get("access_key"),
        secret_key=query.get("secret_key"),
    )
