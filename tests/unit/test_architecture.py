"""The layers hold: domains import no framework, and no service imports another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "licensing", "sitedata", "notifications", "reports")
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
