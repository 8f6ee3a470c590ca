"""A small kustomize for our base: resources, namespace, labels and images, nothing more.

kustomize itself does not install from PyPI here; this covers exactly the fields
``deploy/k8s/kustomization.yaml`` uses and fails on any other, so the rendered manifests are
what ``kubectl apply -k deploy/k8s`` would send.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SUPPORTED = {"apiVersion", "kind", "namespace", "labels", "resources", "images"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"}


def render(directory: Path) -> list[dict[str, Any]]:
    spec = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(spec) - SUPPORTED
    if unknown:
        raise ValueError(f"kustomization fields this renderer does not know: {sorted(unknown)}")
    documents: list[dict[str, Any]] = []
    for resource in spec["resources"]:
        text = (directory / resource).read_text(encoding="utf-8")
        documents += [d for d in yaml.safe_load_all(text) if d]
    for document in documents:
        _apply(spec, document)
    return documents


def _apply(spec: dict[str, Any], document: dict[str, Any]) -> None:
    metadata = document.setdefault("metadata", {})
    if "namespace" in spec and document["kind"] not in CLUSTER_SCOPED:
        metadata["namespace"] = spec["namespace"]
    for entry in spec.get("labels", []):
        metadata.setdefault("labels", {}).update(entry["pairs"])
        template = document.get("spec", {}).get("template")
        if entry.get("includeTemplates") and template is not None:
            template.setdefault("metadata", {}).setdefault("labels", {}).update(entry["pairs"])
    for image in spec.get("images", []):
        for container in _containers(document):
            name, _, _tag = container["image"].partition(":")
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image['newTag']}"


def _containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    pod = document.get("spec", {}).get("template", {}).get("spec", {})
    return list(pod.get("containers", [])) + list(pod.get("initContainers", []))
