"""Writes the production manifests from the code: ``python -m deploy.render`` (make deploy).

One source for both targets, ``deploy/model.py``: the services of ``services.gateway.catalog``
with their roles, and the topic partition count from ``shared.events.registry`` (the same as
``make stack``). This module renders compose; ``k8s_render.py`` renders Kubernetes and
``nginx_render.py`` the gateway, from the same model, and neither imports this one. Consumer-group
names are not configuration: every ``consume`` container runs the same code as ``make stack``
(``spectrum service NAME consume``), so its groups are the ones the code declares.

Output, all committed (``tests/deploy`` fails when it drifts from this script):
``deploy/compose.yaml``, ``deploy/nginx/nginx.conf``, ``deploy/postgres/init.sql`` and
``deploy/k8s/*.yaml``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from deploy.k8s_render import k8s_files
from deploy.model import (
    API_CHECK,
    API_PORT,
    DEPLOY,
    EXTRA_ENV,
    HEADER,
    HEARTBEAT_CHECK,
    IMAGE,
    NAMES,
    PROXIES,
    command,
    dump,
    roles,
    upstreams_json,
)
from deploy.nginx_render import nginx_conf
from shared.events.registry import PARTITIONS

# ---------------------------------------------------------------- compose

BUCKET = "sms-objects"


def compose_env(name: str) -> dict[str, str]:
    prefix = f"SMS_{name.upper()}_"
    storage = (f"s3://{BUCKET}?endpoint=http://minio:9000&region=us-east-1"
               "&access_key=${MINIO_ROOT_USER:-sms}&secret_key=${MINIO_ROOT_PASSWORD:?set it}")
    values = {
        "ENVIRONMENT": "production",
        "LOG_JSON": "true",
        "KAFKA_IDEMPOTENCE": "true",
        "DATABASE_URL": ("postgresql+psycopg://sms:${POSTGRES_PASSWORD:?set it}"
                         f"@postgres:5432/{name}"),
        "BUS_URL": "kafka://kafka:9092",
        "STORAGE_URL": storage,
        "PUBLIC_BASE_URL": "${SMS_PUBLIC_BASE_URL:-http://localhost:8080}",
        "TOKEN_SECRET": "${SMS_TOKEN_SECRET:?set a secret of 32+ characters}",
        "FORWARDED_ALLOW_IPS": PROXIES,
    }
    if name == "licensing":
        values["SECRET_KEY"] = "${SMS_LICENSING_SECRET_KEY:?set a Fernet key}"
    if name == "notifications":
        values.update({"SMTP_HOST": "mailpit", "SMTP_PORT": "1025"})
    values.update(EXTRA_ENV.get(name, {}))
    return {prefix + key: value for key, value in values.items()}


def healthcheck(test: list[str]) -> dict[str, Any]:
    return {"test": test, "interval": "10s", "timeout": "5s", "retries": 5,
            "start_period": "30s"}


def compose_service(name: str, role: str) -> dict[str, Any]:
    service: dict[str, Any] = {"image": IMAGE, "command": command(name, role),
                               "environment": compose_env(name)}
    needs = {"postgres": "service_healthy", "kafka": "service_healthy",
             "minio-bucket": "service_completed_successfully"}
    if role == "migrate":
        service["depends_on"] = {"postgres": {"condition": "service_healthy"}}
        service["restart"] = "no"
        return service
    needs[f"{name}-migrate"] = "service_completed_successfully"
    service["depends_on"] = {key: {"condition": value} for key, value in needs.items()}
    service["restart"] = "unless-stopped"
    if role == "api":
        service["healthcheck"] = healthcheck(["CMD", "python", "-c", API_CHECK])
    else:
        service["healthcheck"] = healthcheck(["CMD-SHELL", HEARTBEAT_CHECK])
    return service


def compose_servers() -> dict[str, Any]:
    kafka_env = {
        "KAFKA_NODE_ID": "1",
        "KAFKA_PROCESS_ROLES": "broker,controller",
        "KAFKA_LISTENERS": "PLAINTEXT://:9092,CONTROLLER://:9093",
        "KAFKA_ADVERTISED_LISTENERS": "PLAINTEXT://kafka:9092",
        "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "KAFKA_CONTROLLER_QUORUM_VOTERS": "1@kafka:9093",
        "KAFKA_NUM_PARTITIONS": str(PARTITIONS),
        "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "false",
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
    }
    return {
        "kafka": {
            "image": "apache/kafka:3.9.1", "environment": kafka_env,
            "volumes": ["kafka-data:/var/lib/kafka/data"],
            "healthcheck": healthcheck(["CMD-SHELL", "/opt/kafka/bin/kafka-broker-api-versions.sh"
                                        " --bootstrap-server localhost:9092 >/dev/null"])},
        "postgres": {
            "image": "postgres:15",
            "environment": {"POSTGRES_USER": "sms",
                            "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD:?set it}"},
            "volumes": ["postgres-data:/var/lib/postgresql/data",
                        "./postgres/init.sql:/docker-entrypoint-initdb.d/init.sql:ro"],
            "healthcheck": healthcheck(["CMD-SHELL", "pg_isready -U sms"])},
        "minio": {
            "image": "minio/minio:RELEASE.2025-04-22T22-12-26Z",
            "command": ["server", "/data", "--console-address", ":9001"],
            "environment": {"MINIO_ROOT_USER": "${MINIO_ROOT_USER:-sms}",
                            "MINIO_ROOT_PASSWORD": "${MINIO_ROOT_PASSWORD:?set it}"},
            "volumes": ["minio-data:/data"],
            "healthcheck": healthcheck(["CMD", "mc", "ready", "local"])},
        "minio-bucket": {
            "image": "minio/mc:RELEASE.2025-04-16T18-13-26Z",
            "depends_on": {"minio": {"condition": "service_healthy"}},
            "entrypoint": ["sh", "-c", "mc alias set sms http://minio:9000 \"$$MINIO_ROOT_USER\" "
                           f"\"$$MINIO_ROOT_PASSWORD\" && mc mb --ignore-existing sms/{BUCKET}"],
            "environment": {"MINIO_ROOT_USER": "${MINIO_ROOT_USER:-sms}",
                            "MINIO_ROOT_PASSWORD": "${MINIO_ROOT_PASSWORD:?set it}"},
            "restart": "no"},
        "mailpit": {
            "image": "axllent/mailpit:v1.27", "ports": ["127.0.0.1:8025:8025"],
            "healthcheck": healthcheck(["CMD", "/mailpit", "readyz"])},
    }


def compose() -> dict[str, Any]:
    services = compose_servers()
    for name in NAMES:
        for role in ("migrate", *roles(name)):
            services[f"{name}-{role}"] = compose_service(name, role)
    services["docs"] = {
        "image": IMAGE,
        "command": ["python", "-m", "services.gateway.serve", "--host", "0.0.0.0",
                    "--port", str(API_PORT), "--upstreams", upstreams_json("{name}-api")],
        "healthcheck": healthcheck(["CMD", "python", "-c", API_CHECK]),
        "depends_on": {f"{name}-api": {"condition": "service_healthy"} for name in NAMES}}
    services["gateway"] = {
        "image": "nginx:1.27", "ports": ["${SMS_GATEWAY_PORT:-8080}:8080"],
        "volumes": ["./nginx/nginx.conf:/etc/nginx/nginx.conf:ro"],
        "depends_on": {"docs": {"condition": "service_healthy"}},
        "healthcheck": healthcheck(["CMD", "curl", "-fsS", "http://127.0.0.1:8080/nginx-health"])}
    return {"name": "sms", "services": services,
            "volumes": {"kafka-data": {}, "postgres-data": {}, "minio-data": {}}}


def init_sql() -> str:
    return HEADER.replace("# ", "-- ") + "".join(
        f"CREATE DATABASE {name} OWNER sms;\n" for name in NAMES)


def outputs() -> dict[Path, str]:
    files = {DEPLOY / "compose.yaml": dump([compose()]),
             DEPLOY / "nginx" / "nginx.conf": nginx_conf(),
             DEPLOY / "postgres" / "init.sql": init_sql()}
    files.update({DEPLOY / "k8s" / name: text for name, text in k8s_files().items()})
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, text in outputs().items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(DEPLOY.parent)))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date (run `make deploy`):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
