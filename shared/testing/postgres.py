"""A private, throwaway PostgreSQL cluster on loopback (initdb + pg_ctl)."""

from __future__ import annotations

import atexit
import glob
import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import structlog

from shared.testing.servers import LocalServer, free_port

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


class PostgresServer(LocalServer):
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

    def pid(self) -> int:
        """The postmaster's process id (its backends are its children)."""
        assert self.cluster_dir is not None
        return int((self.data_dir / "postmaster.pid").read_text().split()[0])

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
            conf.write("\n# added by shared.testing.postgres.PostgresServer\n")
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
