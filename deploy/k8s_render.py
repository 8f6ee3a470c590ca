"""Kubernetes from ``deploy.model``: a kustomize base under ``deploy/k8s/`` (written by
``python -m deploy.render``).

Settings that are not secret live in the ConfigMap ``sms-config``; secrets are referenced from
the Secret ``sms-secrets``, which the operator creates (docs/deploy.md) and which is never in
the repository. Kafka, PostgreSQL, S3 and SMTP are the platform's: their addresses are settings.
"""

from __future__ import annotations

from typing import Any

from deploy.model import (
    API_PORT,
    EXTRA_ENV,
    HEARTBEAT_CHECK,
    IMAGE,
    NAMES,
    PROXIES,
    REPLICAS,
    WORKER_ROLES,
    command,
    dump,
    roles,
    upstreams_json,
)
from deploy.nginx_render import nginx_conf
from shared.events.registry import PARTITIONS

PART_OF = {"app.kubernetes.io/part-of": "sms"}
# Keys of the Secret sms-secrets each service reads (env name -> key in the Secret).
SECRETS: dict[str, dict[str, str]] = {
    name: {"DATABASE_URL": f"{name}-database-url", "TOKEN_SECRET": "token-secret",
           "STORAGE_URL": "storage-url"} for name in NAMES}
SECRETS["licensing"]["SECRET_KEY"] = "licensing-secret-key"
CONFIG = {
    "ENVIRONMENT": "production", "LOG_JSON": "true", "BUS_URL": "kafka://kafka:9092",
    "PUBLIC_BASE_URL": "https://sms.example.ca", "KAFKA_REPLICATION_FACTOR": "3",
    "KAFKA_IDEMPOTENCE": "true", "SMTP_HOST": "smtp-relay", "SMTP_PORT": "25",
    "TOPIC_PARTITIONS": str(PARTITIONS), "FORWARDED_ALLOW_IPS": PROXIES,
}
# a service's own settings (EXTRA_ENV) sit in the ConfigMap under "<service>.<KEY>"
SERVICE_CONFIG = {f"{name}.{key}": value for name, values in EXTRA_ENV.items()
                  for key, value in values.items()}


def labels(name: str, role: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/component": role}


def env(name: str) -> list[dict[str, Any]]:
    prefix = f"SMS_{name.upper()}_"
    items: list[dict[str, Any]] = [
        {"name": prefix + key, "valueFrom": {"configMapKeyRef": {"name": "sms-config",
                                                                 "key": key}}}
        for key in CONFIG if key != "TOPIC_PARTITIONS"]
    items += [{"name": prefix + key, "valueFrom": {"configMapKeyRef": {
        "name": "sms-config", "key": f"{name}.{key}"}}} for key in EXTRA_ENV.get(name, {})]
    items += [{"name": prefix + key, "valueFrom": {"secretKeyRef": {"name": "sms-secrets",
                                                                    "key": secret}}}
              for key, secret in SECRETS.get(name, {}).items()]
    return items


def container(name: str, role: str) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": role, "image": IMAGE, "command": command(name, role), "env": env(name),
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                      "limits": {"memory": "768Mi"}},
        "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False,
                            "readOnlyRootFilesystem": True},
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    if role == "api":
        spec["ports"] = [{"name": "http", "containerPort": API_PORT}]
        probe = {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10}
        spec["readinessProbe"] = probe
        spec["livenessProbe"] = {**probe, "failureThreshold": 3}
    elif role in WORKER_ROLES:
        check = {"exec": {"command": ["sh", "-c", HEARTBEAT_CHECK]}, "periodSeconds": 10}
        # joining a consumer group and creating topics take a while on first start
        spec["startupProbe"] = {**check, "failureThreshold": 30}
        spec["readinessProbe"] = check
        spec["livenessProbe"] = {**check, "failureThreshold": 3}
    return spec


def pod(name: str, role: str, restart: str = "Always") -> dict[str, Any]:
    return {"metadata": {"labels": labels(name, role)},
            "spec": {"restartPolicy": restart, "containers": [container(name, role)],
                     "securityContext": {"runAsUser": 10001, "runAsGroup": 10001},
                     "volumes": [{"name": "tmp", "emptyDir": {}}]}}


def deployment(name: str, role: str) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": f"{name}-{role}", "labels": labels(name, role)},
            "spec": {"replicas": REPLICAS[role],
                     "selector": {"matchLabels": labels(name, role)},
                     "template": pod(name, role)}}


def service_of(name: str, role: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": f"{name}-{role}", "labels": labels(name, role)},
            "spec": {"selector": labels(name, role),
                     "ports": [{"name": "http", "port": API_PORT, "targetPort": "http"}]}}


def migrate_job(name: str) -> dict[str, Any]:
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": f"{name}-migrate", "labels": labels(name, "migrate")},
            "spec": {"backoffLimit": 6, "ttlSecondsAfterFinished": 3600,
                     "template": pod(name, "migrate", restart="OnFailure")}}


def service_documents(name: str) -> list[dict[str, Any]]:
    return [migrate_job(name), deployment(name, "api"), service_of(name, "api"),
            *[deployment(name, role) for role in roles(name) if role != "api"]]


def gateway_documents() -> list[dict[str, Any]]:
    docs = deployment("docs", "api")
    docs["metadata"]["name"] = "docs"
    box = docs["spec"]["template"]["spec"]["containers"][0]
    box["command"] = ["python", "-m", "services.gateway.serve", "--host", "0.0.0.0",
                      "--port", str(API_PORT), "--upstreams", upstreams_json("{name}-api")]
    box.pop("env")
    docs_service = service_of("docs", "api")
    docs_service["metadata"]["name"] = "docs"
    nginx = deployment("gateway", "api")
    nginx["metadata"]["name"] = "gateway"
    template = nginx["spec"]["template"]["spec"]
    template.pop("securityContext")
    template["volumes"] = [{"name": "conf", "configMap": {"name": "gateway-nginx"}}]
    probe = {"httpGet": {"path": "/nginx-health", "port": "http"}, "periodSeconds": 10}
    template["containers"] = [{
        "name": "nginx", "image": "nginx:1.27", "ports": [{"name": "http",
                                                            "containerPort": 8080}],
        "volumeMounts": [{"name": "conf", "mountPath": "/etc/nginx/nginx.conf",
                          "subPath": "nginx.conf"}],
        "readinessProbe": probe, "livenessProbe": probe}]
    gateway_service = service_of("gateway", "api")
    gateway_service["metadata"]["name"] = "gateway"
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "gateway-nginx"},
              "data": {"nginx.conf": nginx_conf()}}
    ingress = {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "gateway", "annotations": {
            "nginx.ingress.kubernetes.io/proxy-body-size": "61m",
            "nginx.ingress.kubernetes.io/proxy-request-buffering": "off",
            # https only: plain http is redirected; the gateway's nginx sends HSTS on every
            # answer (ingress-nginx also adds it by default when TLS is set)
            "nginx.ingress.kubernetes.io/ssl-redirect": "true",
            "nginx.ingress.kubernetes.io/force-ssl-redirect": "true"}},
        "spec": {"tls": [{"hosts": ["sms.example.ca"], "secretName": "sms-tls"}],
                 "rules": [{"host": "sms.example.ca", "http": {"paths": [{
                     "path": "/", "pathType": "Prefix",
                     "backend": {"service": {"name": "gateway",
                                             "port": {"name": "http"}}}}]}}]}}
    return [config, nginx, gateway_service, docs, docs_service, ingress]


def kustomization() -> dict[str, Any]:
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
            "namespace": "sms",
            "labels": [{"pairs": PART_OF, "includeSelectors": False}],
            "resources": ["namespace.yaml", "config.yaml", "gateway.yaml",
                          *[f"{name}.yaml" for name in NAMES]],
            "images": [{"name": IMAGE.rsplit(":", 1)[0], "newTag": IMAGE.rsplit(":", 1)[1]}]}


def k8s_files() -> dict[str, str]:
    files = {
        "kustomization.yaml": dump([kustomization()]),
        "namespace.yaml": dump([{"apiVersion": "v1", "kind": "Namespace",
                                 "metadata": {"name": "sms"}}]),
        "config.yaml": dump([{"apiVersion": "v1", "kind": "ConfigMap",
                              "metadata": {"name": "sms-config"},
                              "data": {**CONFIG, **SERVICE_CONFIG}}]),
        "gateway.yaml": dump(gateway_documents()),
    }
    files.update({f"{name}.yaml": dump(service_documents(name)) for name in NAMES})
    return files
