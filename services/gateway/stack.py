"""``make stack``: every service as its own processes (api, consume, relay) on real servers.

PostgreSQL (a private cluster), tansu (Kafka protocol), moto (S3) and an SMTP sink are started
on loopback, as ../shared/INFRA.md describes; one gateway address fronts the APIs.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from services.gateway import nginx
from services.gateway.catalog import SERVICES
from services.gateway.catalog import entry as service_entry
from services.gateway.demo_ready import wait_demo_ready
from shared.testing.moto_s3 import MotoServer
from shared.testing.postgres import PostgresServer
from shared.testing.servers import free_port, wait_healthy
from shared.testing.smtp import SmtpSink
from shared.testing.tansu import S3Storage, TansuServer

log = structlog.get_logger()
BUCKET = "sms-objects"
KAFKA_BUCKET = "tansu"
WORKER_ROLES = ("consume", "relay", "stream")


def _idle_class() -> None:
    """On one machine the workers (validation, relays, the faust worker) run in the idle
    scheduling class: they take the CPU the api processes, whose answers people wait for,
    leave free. On Kubernetes each role has its own pods and CPU requests instead."""
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


@dataclass
class Proc:
    name: str
    role: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    replica: int = 1

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.role if self.replica == 1 else f"{self.role}#{self.replica}")

    @property
    def label(self) -> str:
        return f"{self.name}-{self.role}" + ("" if self.replica == 1 else f"-{self.replica}")

    def beat(self, beats: Path) -> Path:
        """The heartbeat file a worker touches once it is started (then every 5 s)."""
        return beats / f"{self.label}.beat"

    def start(self, logs: Path) -> None:
        out = open(logs / f"{self.label}.log", "ab")  # noqa: SIM115
        worker = self.role in WORKER_ROLES
        argv = self.argv
        if worker:
            self.beat(logs.parent / "beats").unlink(missing_ok=True)
            argv = [*argv, "--heartbeat", str(self.beat(logs.parent / "beats"))]
        self.process = subprocess.Popen(argv, env=self.env, stdout=out,
                                        stderr=subprocess.STDOUT,
                                        preexec_fn=_idle_class if worker else None)

    def stop(self, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Stack:
    var_dir: Path
    gateway_port: int = 0
    keep_data: bool = False
    # "s3": tansu keeps its log in a bucket on the moto server, so a broker restart loses
    # nothing (fault tests); "memory" is faster and the default.
    kafka_storage: str = "memory"
    # "nginx" in front of the Python gateway where an nginx binary is installed (as in
    # production), else "python": the Python gateway alone
    front: str = "auto"
    # consume processes per service (default 1): sitedata's checkers scale out by process
    replicas: dict[str, int] = field(default_factory=dict)
    # extra settings per service (SMS_<NAME>_<KEY>), e.g. a short lease in fault tests
    settings: dict[str, dict[str, str]] = field(default_factory=dict)
    procs: dict[tuple[str, str], Proc] = field(default_factory=dict)
    # a fresh token secret per stack: the processes refuse the development one
    token_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    def __post_init__(self) -> None:
        self.root = self.var_dir.resolve() / "stack"
        self.logs = self.root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.beats = self.root / "beats"
        self.beats.mkdir(parents=True, exist_ok=True)
        self.pg = PostgresServer(base_dir=self.root, keep=self.keep_data)
        self.s3 = MotoServer()
        self.kafka = TansuServer()
        self.mail = SmtpSink(maildir=self.root / "mail")
        self.gateway_port = self.gateway_port or free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def service_env(self, name: str) -> dict[str, str]:
        prefix = f"SMS_{name.upper()}_"
        values = {
            "DATABASE_URL": self.pg.url(name), "BUS_URL": self.kafka.url,
            "STORAGE_URL": self.s3.store_url(BUCKET), "PUBLIC_BASE_URL": self.url,
            "KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_HEARTBEAT_INTERVAL_MS": "1000",
            "LOG_JSON": "true", "SMTP_PORT": str(self.mail.port),
            "TOKEN_SECRET": self.token_secret,
        }
        values.update(service_entry(name).extra_env)
        values.update(self.settings.get(name, {}))
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMS_")}
        env.update({prefix + key: value for key, value in values.items()})
        # glibc keeps what a process freed: a thread checking a big file would leave tens of
        # MB behind. Two arenas, and buffers over 64 KB always mapped (so given back when
        # freed; glibc would otherwise raise that bar as it goes): measured, the sitedata
        # consume process peaks at ~150 MB during a 59 MB file instead of ~180 MB
        env.setdefault("MALLOC_ARENA_MAX", "2")
        env.setdefault("MALLOC_MMAP_THRESHOLD_", "65536")
        return env

    def _argv(self, name: str, role: str, port: int | None = None) -> list[str]:
        argv = [sys.executable, "-m", "services.cli", "service", name, role]
        return argv + (["--port", str(port)] if port else [])

    def start_servers(self) -> None:
        self.pg.start()
        self.s3.start()
        self.s3.create_bucket(BUCKET)
        if self.kafka_storage == "s3":
            self.s3.create_bucket(KAFKA_BUCKET)
            storage = S3Storage(self.s3.endpoint, KAFKA_BUCKET, self.s3.access_key,
                                self.s3.secret_key, self.s3.region)
            self.kafka = TansuServer(storage, port=self.kafka.port)
        self.kafka.start()
        self.mail.start()
        for entry in SERVICES:
            self.pg.create_database(entry.name)

    def prepare(self) -> None:
        """Migrations, then demo data, each a short-lived process per service (the services
        of one phase run side by side: each has its own database)."""
        for role in ("migrate", "seed"):
            with ThreadPoolExecutor(max_workers=len(SERVICES)) as pool:
                names = [e.name for e in SERVICES]
                results = list(zip(names, pool.map(self._once, names, [role] * len(names)),
                                   strict=True))
            for name, done in results:
                if done.returncode != 0:
                    raise RuntimeError(f"{name} {role} failed:\n"
                                       f"{done.stderr.decode(errors='replace')[-3000:]}")

    def _once(self, name: str, role: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(self._argv(name, role), capture_output=True,
                              env=self.service_env(name), timeout=120)

    def start_processes(self) -> None:
        upstreams = {}
        for entry in SERVICES:
            port = free_port()
            upstreams[entry.name] = f"http://127.0.0.1:{port}"
            env = self.service_env(entry.name)
            self._spawn(Proc(entry.name, "api", self._argv(entry.name, "api", port), env))
            for role in ("consume", "relay", *entry.extra_roles):
                self._spawn(Proc(entry.name, role, self._argv(entry.name, role), env))
            for replica in range(2, self.replicas.get(entry.name, 1) + 1):
                self._spawn(Proc(entry.name, "consume", self._argv(entry.name, "consume"), env,
                                 replica=replica))
        binary = nginx.nginx_binary() if self.front in ("auto", "nginx") else None
        if self.front == "nginx" and binary is None:
            raise RuntimeError("nginx is not installed: run `make stack-deps`")
        python_port = free_port() if binary else self.gateway_port
        gateway = [sys.executable, "-m", "services.gateway.serve", "--port",
                   str(python_port), "--upstreams", json.dumps(upstreams)]
        self._spawn(Proc("gateway", "api", gateway,
                         {**os.environ, "SMS_TOKEN_SECRET": self.token_secret}))
        if binary:
            self._spawn_nginx(binary, upstreams, f"http://127.0.0.1:{python_port}")

    def _spawn_nginx(self, binary: str, upstreams: dict[str, str], gateway: str) -> None:
        root = self.root / "nginx"
        nginx.prepare(root)
        conf = root / "nginx.conf"
        conf.write_text(nginx.stack_conf(root, self.gateway_port, upstreams, gateway))
        self._spawn(Proc("nginx", "front", [binary, "-p", str(root), "-c", str(conf)],
                         dict(os.environ)))

    def _spawn(self, proc: Proc) -> None:
        proc.start(self.logs)
        self.procs[proc.key] = proc

    def wait_ready(self, timeout: float = 120.0, *, demo: bool = True) -> None:
        """Every api serves, every worker has started all its consumers (its heartbeat file
        is there) and (``demo``) the demo licensee can sign in and upload."""
        if not wait_healthy(self.url, timeout, interval=0.3):
            raise RuntimeError(f"the stack did not become ready in {timeout}s; see {self.logs}")
        self.wait_workers(timeout)
        if demo and not wait_demo_ready(self.url, timeout):
            raise RuntimeError(f"the demo licensee could not upload within {timeout}s; see "
                               f"{self.logs}")

    def wait_workers(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        waiting = [p for p in self.procs.values() if p.role in WORKER_ROLES]
        while waiting and time.monotonic() < deadline:
            waiting = [p for p in waiting if not p.beat(self.beats).exists()]
            time.sleep(0.2)
        if waiting:
            names = ", ".join(p.label for p in waiting)
            raise RuntimeError(f"{names} did not start in {timeout}s; see {self.logs}")

    def start(self) -> None:
        self.start_servers()
        self.prepare()
        self.start_processes()
        self.wait_ready()
        log.info("stack.ready", url=self.url, smtp_port=self.mail.port, logs=str(self.logs))

    def kill(self, name: str, role: str) -> None:
        """kill -9 one process (fault tests)."""
        self.procs[(name, role)].stop(kill=True)

    def restart(self, name: str, role: str) -> None:
        proc = self.procs[(name, role)]
        proc.stop()
        self._spawn(proc)

    def stop(self) -> None:
        running = [p.process for p in self.procs.values() if p.process is not None]
        for process in running:  # SIGTERM to all first: they shut down side by side
            if process.poll() is None:
                process.terminate()
        for proc in reversed(list(self.procs.values())):
            proc.stop()
        self.procs.clear()
        for server in (self.mail, self.kafka, self.s3, self.pg):
            server.stop()
