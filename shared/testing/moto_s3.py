"""moto's S3 in-process on loopback, for tests and `make stack`."""

from __future__ import annotations

import contextlib
import logging
import urllib.request
from typing import Any

import structlog

from shared.testing.servers import LocalServer

log = structlog.get_logger()


class MotoServer(LocalServer):
    """moto's S3 in-process on loopback (`ThreadedMotoServer`), with fixed fake credentials."""

    access_key = "testing"
    secret_key = "testing"
    region = "us-east-1"

    def __init__(self, *, port: int = 0) -> None:
        self._requested_port = port
        self._server: Any = None
        self._client: Any = None
        self.port = 0

    @property
    def endpoint(self) -> str:
        if self._server is None:
            raise RuntimeError("MotoServer has not been started")
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self._server is not None:
            return
        try:
            from moto.server import ThreadedMotoServer
        except ImportError as exc:
            raise RuntimeError(
                "moto's server is not installed; `pip install 'moto[s3]' flask flask-cors` "
                "(or `pip install -e '.[dev]'`)"
            ) from exc
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
        server = ThreadedMotoServer(
            ip_address="127.0.0.1", port=self._requested_port, verbose=False
        )
        server.start()
        self._server = server
        self.port = int(server.get_host_and_port()[1])
        log.info("moto.started", port=self.port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
            log.info("moto.stopped", port=self.port)

    def client(self) -> Any:
        """A boto3 S3 client for this server (one, reused: boto3 clients are thread-safe)."""
        import boto3

        if self._client is None or self._client.meta.endpoint_url != self.endpoint:
            self._client = boto3.session.Session().client(
                "s3",
                endpoint_url=self.endpoint,
                region_name=self.region,
                aws_access_key_id=self.access_key,
                aws_secret_access_key=self.secret_key,
            )
        return self._client

    def create_bucket(self, name: str) -> str:
        """Create bucket `name` (idempotent); return its name."""
        client = self.client()
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
            client.create_bucket(Bucket=name)
        return name

    def store_url(self, bucket: str) -> str:
        """The `open_store` URL of `bucket` on this server."""
        return (
            f"s3://{bucket}?endpoint={self.endpoint}&region={self.region}"
            f"&access_key={self.access_key}&secret_key={self.secret_key}"
        )

    def env(self) -> dict[str, str]:
        """AWS_* variables that point an S3 client (tansu's s3:// storage, the CLI) here."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ENDPOINT": self.endpoint,
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ALLOW_HTTP": "true",
        }

    def reset(self) -> None:
        """Forget every bucket and object."""
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass
