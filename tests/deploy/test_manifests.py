"""The production manifests: generated from the code, valid, and the same topology as the stack.

No container engine or cluster is needed: compose is checked against the Compose
Specification (check-jsonschema), the kustomize output against the Kubernetes OpenAPI schemas
(kubernetes-validate, strict).
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import kubernetes_validate
import pytest
import yaml

from deploy import model, render
from shared.events.registry import PARTITIONS, topics
from tests.deploy.kustomize import render as kustomize

DEPLOY = model.DEPLOY


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def manifests() -> list[dict[str, Any]]:
    return kustomize(DEPLOY / "k8s")


def by_name(manifests: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == kind}


def test_committed_manifests_are_what_the_renderer_writes() -> None:
    assert render.main(["--check"]) == 0, "run `make deploy` and commit deploy/"


def test_the_model_knows_every_service_of_the_catalog() -> None:
    from services.gateway.catalog import SERVICES

    assert sorted(model.NAMES) == sorted(entry.name for entry in SERVICES)
    for entry in SERVICES:  # the faust worker and its setting: the same as `make stack`
        assert model.EXTRA_ROLES.get(entry.name, ()) == entry.extra_roles
        assert model.EXTRA_ENV.get(entry.name, {}) == dict(entry.extra_env)


def test_compose_file_follows_the_compose_specification() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(DEPLOY / "compose.yaml")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_kubernetes_manifest_is_valid(manifests: list[dict[str, Any]]) -> None:
    for manifest in manifests:
        kubernetes_validate.validate(manifest, "1.30.0", strict=True)
        kubernetes_validate.validate(manifest, "1.37.0", strict=True)


def test_compose_runs_every_service_as_separate_processes_with_health_checks(
        compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in model.NAMES:
        migrate = services[f"{name}-migrate"]
        assert migrate["command"][-2:] == [name, "migrate"] and migrate["restart"] == "no"
        for role in model.roles(name):
            service = services[f"{name}-{role}"]
            assert service["command"][:4] == ["spectrum", "service", name, role]
            assert "healthcheck" in service
            assert service["depends_on"][f"{name}-migrate"]["condition"] == \
                "service_completed_successfully"
    for server in ("kafka", "postgres", "minio", "mailpit", "gateway"):
        assert "healthcheck" in services[server], server


def test_kafka_runs_in_kraft_mode_with_the_stacks_partition_count(
        compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]["environment"]
    assert kafka["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft: no ZooKeeper
    assert int(kafka["KAFKA_NUM_PARTITIONS"]) == PARTITIONS
    assert kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"  # services create theirs
    assert set(topics().values()) == {PARTITIONS}


def test_kubernetes_runs_each_role_with_probes_and_migrations_as_jobs(
        manifests: list[dict[str, Any]]) -> None:
    deployments = by_name(manifests, "Deployment")
    jobs = by_name(manifests, "Job")
    for name in model.NAMES:
        assert jobs[f"{name}-migrate"]["spec"]["template"]["spec"]["restartPolicy"] != "Always"
        for role in model.roles(name):
            pod = deployments[f"{name}-{role}"]["spec"]["template"]["spec"]
            (container,) = pod["containers"]
            assert container["command"][:4] == ["spectrum", "service", name, role]
            assert "livenessProbe" in container and "readinessProbe" in container
    for deployment in deployments.values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert "livenessProbe" in container and "readinessProbe" in container


def test_consumers_scale_by_replicas_within_their_groups(
        manifests: list[dict[str, Any]]) -> None:
    deployments = by_name(manifests, "Deployment")
    for name in model.NAMES:
        consume = deployments[f"{name}-consume"]
        # the same command as `make stack`, hence the same consumer-group names; more
        # replicas than partitions would idle
        assert 1 < consume["spec"]["replicas"] <= PARTITIONS


def test_secrets_are_referenced_never_inlined(manifests: list[dict[str, Any]]) -> None:
    assert not [m for m in manifests if m["kind"] == "Secret"]
    for deployment in by_name(manifests, "Deployment").values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for variable in container.get("env", []):
                assert "value" not in variable, variable["name"]
                secret = variable["valueFrom"].get("secretKeyRef")
                if any(word in variable["name"] for word in ("SECRET", "DATABASE", "STORAGE")):
                    assert secret and secret["name"] == "sms-secrets", variable["name"]


def test_the_ingress_reaches_every_service_api_through_the_gateway(
        manifests: list[dict[str, Any]]) -> None:
    (ingress,) = by_name(manifests, "Ingress").values()
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "gateway"
    services = by_name(manifests, "Service")
    conf = by_name(manifests, "ConfigMap")["gateway-nginx"]["data"]["nginx.conf"]
    for name in model.NAMES:
        assert f"location /api/{name}/ {{ proxy_pass http://{name}-api:" in conf
        assert f"{name}-api" in services
    assert all(m["metadata"].get("namespace") == "sms" for m in manifests
               if m["kind"] != "Namespace")


def test_https_is_enforced_with_hsts_on_every_answer(
        compose: dict[str, Any], manifests: list[dict[str, Any]]) -> None:
    """HSTS at server level (proxied answers) and in every location that answers itself (an
    add_header there replaces the server's); the ingress redirects plain http."""
    hsts = 'Strict-Transport-Security "max-age=31536000; includeSubDomains" always;'
    for conf in (by_name(manifests, "ConfigMap")["gateway-nginx"]["data"]["nginx.conf"],
                 (DEPLOY / "nginx" / "nginx.conf").read_text(encoding="utf-8")):
        lines = conf.splitlines()
        assert any(line.strip() == f"add_header {hsts}" for line in lines)
        for line in lines:
            if "return " in line and "location" in line:
                assert hsts in line and "X-Content-Type-Options nosniff" in line, line
    (ingress,) = by_name(manifests, "Ingress").values()
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] == "true"
    assert ingress["spec"]["tls"]
