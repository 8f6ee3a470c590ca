"""The cross-account matrix, built from /openapi.json: every operation that takes an account,
licence, upload, application, document or advice-request id, called by a profile of another
account with the ids of the demo licensee's account."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

KINDS = {
    "account": re.compile(r"account"),
    "licence": re.compile(r"licen[cs]e"),
    "upload": re.compile(r"upload"),
    "application": re.compile(r"application"),
    "document": re.compile(r"document"),
    "advice": re.compile(r"advice"),
}
# Data that is public by design: no account's private data is reachable through these.
PUBLIC = (
    re.compile(r"^/api/reports/public/"),  # the public licence and station registry
    re.compile(r"^/api/identity/licensees$"),  # find a licensee by company name to register
    re.compile(r"^/api/licensing/public/"),  # returned spectrum, transfer decision summaries
)


def kind_of(name: str) -> str | None:
    lowered = name.lower()
    if lowered in ("profile_id", "token"):
        return None
    for kind, pattern in KINDS.items():
        if pattern.search(lowered):
            return kind
    return None


@dataclass
class Probe:
    method: str
    path: str  # the template, /api/sitedata/uploads/{upload_id}
    path_params: dict[str, str | None] = field(default_factory=dict)  # name -> kind
    query_params: dict[str, str | None] = field(default_factory=dict)
    has_body: bool = False

    @property
    def kinds(self) -> set[str]:
        found = {*self.path_params.values(), *self.query_params.values()}
        return {kind for kind in found if kind is not None}

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def probes(spec: dict[str, Any]) -> list[Probe]:
    """Every operation of the document that takes one of the four kinds of id."""
    found = []
    for path, item in spec.get("paths", {}).items():
        if any(pattern.search(path) for pattern in PUBLIC):
            continue
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            probe = Probe(method, path, has_body="requestBody" in operation)
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                target = probe.path_params if parameter["in"] == "path" else (
                    probe.query_params if parameter["in"] == "query" else None)
                if target is not None:
                    target[parameter["name"]] = kind_of(parameter["name"])
            if probe.kinds:
                found.append(probe)
    return found


def fill(probe: Probe, ids: dict[str, str], extra: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The URL path and query of ``probe`` with the owner's ids; None when one is missing."""
    path = probe.path
    for name, kind in probe.path_params.items():
        value = ids[kind] if kind else extra.get(name, "x")
        path = path.replace("{" + name + "}", value).replace("{" + name + ":path}", value)
    query = {name: ids[kind] for name, kind in probe.query_params.items() if kind}
    return path, query
