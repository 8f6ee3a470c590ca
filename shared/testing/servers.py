"""Real local servers on loopback for tests and `make stack`: PostgreSQL, moto (S3), SMTP sink.

Each class is a context manager with `start()`/`stop()`, picks a free loopback port unless
given one, waits until the server answers, and raises RuntimeError saying what is missing and
how to install it when the server cannot start. Nothing here ever skips a test.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import email
import email.policy
import glob
import logging
import mailbox
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import structlog

__all__ = ["MotoServer", "PostgresServer", "ReceivedMessage", "SmtpSink", "free_port"]

log = structlog.get_logger()

PG_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",  # TCP only: no socket-path length limit, nothing to clean
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}
PG_INSTALL_HINT = (
    "install the PostgreSQL 15 server (Debian: `apt-get install -y postgresql-15`), "
    "or put its pg_config on PATH"
)


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free on `host` a moment ago (bind to port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _check_bindable(host: str, port: int) -> None:
    """OSError now if nothing could listen on host:port (as asyncio binds: SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))


class _Server:
    """Context-manager plumbing shared by the servers."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def find_pg_bindir() -> Path:
    """The directory holding initdb and pg_ctl, or RuntimeError with how to install them."""
    candidates = [Path("/usr/lib/postgresql/15/bin")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            candidates.append(Path(out.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise RuntimeError(f"PostgreSQL server binaries (initdb, pg_ctl) not found; {PG_INSTALL_HINT}")


def _traversable_by_others(path: Path) -> bool:
    """True when every ancestor of `path` can be entered by another OS user (the postgres one)."""
    for parent in [path, *path.parents]:
        if parent.exists() and not parent.stat().st_mode & 0o001:
            return False
    return True


class PostgresServer(_Server):
    """A throwaway PostgreSQL cluster (initdb + pg_ctl), fsync off, trust auth, TCP only.

    `base_dir` is where the cluster's directory is made (default: the system temp dir). With
    `keep=True` the cluster lives in `base_dir/postgres` and survives stop() (for `make stack`).
    """

    def __init__(
        self,
        base_dir: Path | str | None = None,
        *,
        port: int | None = None,
        keep: bool = False,
    ) -> None:
        if keep and base_dir is None:
            raise ValueError("PostgresServer(keep=True) needs a base_dir to keep the cluster in")
        self._base_dir = Path(base_dir) if base_dir is not None else None
        self._fixed_port = port
        self._keep = keep
        self.port = port or 0
        self.host = "127.0.0.1"
        self.cluster_dir: Path | None = None
        self._running = False

    @property
    def data_dir(self) -> Path:
        if self.cluster_dir is None:
            raise RuntimeError("PostgresServer has not been started")
        return self.cluster_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        """A libpq connection string (for psycopg without SQLAlchemy)."""
        return f"host={self.host} port={self.port} user=postgres dbname={database}"

    def start(self) -> None:
        if self._running:
            return
        bindir = find_pg_bindir()
        if self.cluster_dir is None:
            self.cluster_dir = self._make_cluster_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb(bindir)
        self._start_with_retries(bindir)
        self._running = True
        atexit.register(self.stop)
        log.info("postgres.started", port=self.port, cluster_dir=str(self.cluster_dir))

    def stop(self) -> None:
        if self._running and self.cluster_dir is not None:
            self._pg_ctl(find_pg_bindir(), "stop", "-m", "fast", check=False)
            self._running = False
            atexit.unregister(self.stop)
            log.info("postgres.stopped", port=self.port)
        if self.cluster_dir is not None and not self._keep:
            shutil.rmtree(self.cluster_dir, ignore_errors=True)
            self.cluster_dir = None

    def restart(self) -> None:
        """Stop fast and start again on the same port and data (for fault tests)."""
        bindir = find_pg_bindir()
        self._pg_ctl(bindir, "restart", "-m", "fast", "-o", f"-p {self.port}")
        log.info("postgres.restarted", port=self.port)

    def create_database(self, name: str) -> str:
        """Create database `name` unless it exists; return its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if found is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def _make_cluster_dir(self) -> Path:
        as_root = os.geteuid() == 0
        base = self._base_dir
        if base is not None and as_root and not _traversable_by_others(base.resolve()):
            log.warning("postgres.base_dir_not_traversable", base_dir=str(base))
            base = None  # the postgres OS user could not reach it: use the system temp dir
        if self._keep and base is not None:
            path = base / "postgres"
            path.mkdir(parents=True, exist_ok=True)
        else:
            if base is not None:
                base.mkdir(parents=True, exist_ok=True)
            path = Path(tempfile.mkdtemp(prefix="sms-pg-", dir=base))
        if as_root:
            shutil.chown(path, user="postgres", group="postgres")
        return path

    def _initdb(self, bindir: Path) -> None:
        argv = [
            str(bindir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ]
        result = subprocess.run(_as_postgres(argv), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed ({PG_INSTALL_HINT}):\n{result.stderr[-2000:]}")
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# added by shared.testing.servers.PostgresServer\n")
            conf.writelines(f"{key} = {value}\n" for key, value in PG_SETTINGS.items())

    def _start_with_retries(self, bindir: Path) -> None:
        attempts = 1 if self._fixed_port else 3
        for attempt in range(1, attempts + 1):
            self.port = self._fixed_port or free_port()
            result = self._pg_ctl(bindir, "start", "-o", f"-p {self.port}", check=False)
            if result.returncode == 0:
                return
            log.warning("postgres.start_failed", port=self.port, attempt=attempt)
        raise RuntimeError(f"PostgreSQL did not start on 127.0.0.1:{self.port}: {self._log_tail()}")

    def _pg_ctl(
        self,
        bindir: Path,
        *args: str,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        argv = [
            str(bindir / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-w",
            "-t",
            "60",
            *args,
        ]
        result = subprocess.run(_as_postgres(argv), capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"pg_ctl {args[0]} failed: {result.stderr} {self._log_tail()}")
        return result

    def _log_tail(self) -> str:
        try:
            return self.log_file.read_text(encoding="utf-8", errors="replace")[-2000:]
        except OSError:
            return "(no server log)"


def _as_postgres(argv: list[str]) -> list[str]:
    """Run as the `postgres` OS user when we are root (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return argv
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise RuntimeError(
            "running as root but there is no `postgres` OS user to run PostgreSQL as; "
            f"{PG_INSTALL_HINT} (the package creates the user), or run the tests as a normal user"
        ) from exc
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *argv]
    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(argv)]


class MotoServer(_Server):
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


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """One message as the SMTP sink received it."""

    mail_from: str  # envelope sender (MAIL FROM)
    rcpt_to: list[str]  # envelope recipients (RCPT TO)
    from_addr: str  # the From header
    to: list[str]  # addresses in the To header
    subject: str
    text: str | None  # the text/plain body, if any
    html: str | None  # the text/html body, if any
    raw: bytes
    message: EmailMessage = field(repr=False)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list, repr=False)


def parse_message(
    raw: bytes, mail_from: str = "", rcpt_to: list[str] | None = None
) -> ReceivedMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)

    def body(kind: str) -> str | None:
        part = msg.get_body(preferencelist=(kind,))
        if part is None:
            return None
        return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]

    to = [addr.addr_spec for addr in getattr(msg["to"], "addresses", ())]
    attachments = [
        (
            part.get_filename() or "",
            part.get_content_type(),
            bytes(part.get_payload(decode=True) or b""),
        )
        for part in msg.iter_attachments()
    ]
    return ReceivedMessage(
        mail_from=mail_from,
        rcpt_to=list(rcpt_to or []),
        from_addr=str(msg["from"] or ""),
        to=to,
        subject=str(msg["subject"] or ""),
        text=body("plain"),
        html=body("html"),
        raw=raw,
        message=msg,
        attachments=attachments,
    )


class SmtpSink(_Server):
    """An aiosmtpd server that keeps every message it receives (and optionally a Maildir copy).

    `fail_next(n)` makes the next n deliveries answer `451` (a transient error) for retry tests.
    """

    def __init__(self, *, port: int = 0, maildir: Path | str | None = None) -> None:
        self._requested_port = port
        self.port = 0
        self.host = "127.0.0.1"
        self._maildir = mailbox.Maildir(maildir, create=True) if maildir is not None else None
        self._messages: list[ReceivedMessage] = []
        self._failures_left = 0
        self._cond = threading.Condition()
        self._controller: Any = None

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self._cond:
            return list(self._messages)

    def clear(self) -> None:
        with self._cond:
            self._messages.clear()
            self._failures_left = 0

    def fail_next(self, count: int = 1) -> None:
        with self._cond:
            self._failures_left = count

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMessage]:
        """Block until at least `count` messages arrived; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"SMTP sink got {len(self._messages)} of {count} messages in {timeout}s"
                    )
                self._cond.wait(left)
            return list(self._messages)

    async def wait_for_async(self, count: int, timeout: float = 10.0) -> list[ReceivedMessage]:
        """`wait_for` without blocking the event loop (the sender may run on it)."""
        return await asyncio.to_thread(self.wait_for, count, timeout)

    def start(self) -> None:
        if self._controller is not None:
            return
        from aiosmtpd.controller import Controller

        self.port = self._requested_port or free_port()
        controller = Controller(self, hostname=self.host, port=self.port, ready_timeout=10.0)
        try:
            _check_bindable(self.host, self.port)  # else aiosmtpd waits its whole ready_timeout
            controller.start()
        except Exception as exc:
            raise RuntimeError(
                f"SMTP sink could not listen on {self.host}:{self.port}: {exc}"
            ) from exc
        self._controller = controller
        log.info("smtp_sink.started", port=self.port)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
            log.info("smtp_sink.stopped", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._cond:
            if self._failures_left > 0:
                self._failures_left -= 1
                return "451 4.3.0 Temporary failure (SmtpSink.fail_next)"
        raw = bytes(envelope.original_content or envelope.content)
        message = parse_message(raw, str(envelope.mail_from), list(envelope.rcpt_tos))
        if self._maildir is not None:
            self._maildir.add(raw)
        with self._cond:
            self._messages.append(message)
            self._cond.notify_all()
        log.info("smtp_sink.received", subject=message.subject, to=message.rcpt_to)
        return "250 Message accepted for delivery"
