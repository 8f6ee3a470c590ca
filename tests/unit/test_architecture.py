"""The layers hold: domains import no framework, no service imports another, and imports run
one way (no circles, nothing in a service imports its composition root, pages do not borrow
from the JSON API)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "licensing", "sitedata", "notifications", "reports")
PACKAGES = ("services", "shared", "deploy")
FRAMEWORKS = ("sqlalchemy", "fastapi", "starlette", "aiokafka", "faust", "boto3", "botocore",
              "httpx", "aiosmtplib", "psycopg")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_domain_imports_no_framework(service: str) -> None:
    for path in (ROOT / "services" / service / "domain").rglob("*.py"):
        bad = {m for m in imports_of(path) if m.split(".")[0] in FRAMEWORKS}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("service", SERVICES)
def test_services_do_not_import_each_other(service: str) -> None:
    others = {f"services.{s}" for s in SERVICES if s != service} | {"services.gateway"}
    for path in (ROOT / "services" / service).rglob("*.py"):
        bad = {m for m in imports_of(path) if any(m == o or m.startswith(o + ".") for o in others)}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_shared_imports_no_service() -> None:
    for path in (ROOT / "shared").rglob("*.py"):
        bad = {m for m in imports_of(path) if m.startswith("services")}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_only_settings_read_the_environment() -> None:
    allowed = {"shared/testing", "services/gateway/stack.py", "services/gateway/serve.py"}
    for path in list((ROOT / "shared").rglob("*.py")) + list((ROOT / "services").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if any(rel.startswith(a) for a in allowed):
            continue
        assert "os.environ" not in path.read_text(encoding="utf-8"), f"{rel} reads os.environ"


# --- imports run one way -------------------------------------------------------------------
# Every import counts: at the top, inside a function, under ``TYPE_CHECKING``; relative ones are
# resolved. ``from a.b import c`` is an edge to the module ``a.b.c`` when there is one, else to
# ``a.b``. A package's ``__init__`` that a submodule's import runs on the way is not an edge:
# re-exporting submodules from a package is not a circle of design.


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_of(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def imported_names(module: str, path: Path) -> list[str]:
    """What ``module`` imports, absolute, down to the names taken from a module."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if path.name == "__init__.py" else \
                    module.split(".")[:-1]
                anchor = ".".join(package[:len(package) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        edges = set()
        for name in imported_names(module, path):
            while name and name not in known:  # a name from a module -> that module
                name = name.rpartition(".")[0]
            if name and name != module:
                edges.add(name)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected group of modules (Tarjan), as a path back to its
    start."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = {node}
            while (member := stack.pop()) != node:
                group.add(member)
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [circle_in(graph, group) for group in groups]


def circle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """The shortest path from the group's first module back to itself (breadth first)."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & group):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"no circle in {group}")


def test_cycles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]


def test_relative_and_deferred_imports_count(tmp_path: Path) -> None:
    source = ("from typing import TYPE_CHECKING\nfrom . import views\nfrom .. import bootstrap\n"
              "if TYPE_CHECKING:\n    from ..handlers import crypto\n"
              "def f():\n    import shared.clock\n")
    path = tmp_path / "routes.py"
    path.write_text(source, encoding="utf-8")
    assert imported_names("services.x.api.routes", path) == [
        "typing.TYPE_CHECKING", "services.x.api.views", "services.x.bootstrap",
        "services.x.handlers.crypto", "shared.clock"]


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import circles:\n" + "\n".join(" -> ".join(c) for c in found)


@pytest.mark.parametrize("service", SERVICES)
def test_nothing_in_a_service_imports_its_composition_root(service: str) -> None:
    root = f"services.{service}.bootstrap"
    graph = import_graph()
    bad = sorted(m for m, edges in graph.items()
                 if m.startswith(f"services.{service}.") and root in edges)
    assert not bad, f"{bad} import {root}: take what you need from the service's context"


@pytest.mark.parametrize("service", SERVICES)
def test_pages_and_api_do_not_import_each_other(service: str) -> None:
    graph = import_graph()
    api, web = f"services.{service}.api", f"services.{service}.web"
    for module, edges in graph.items():
        for mine, theirs in ((api, web), (web, api)):
            if module == mine or module.startswith(mine + "."):
                bad = sorted(e for e in edges if e == theirs or e.startswith(theirs + "."))
                assert not bad, (f"{module} imports {bad}: what both show belongs in a module "
                                 "of the service that both import")
