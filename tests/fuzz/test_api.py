"""schemathesis against the gateway's /openapi.json in embedded mode: whatever a client sends
that the document allows, or nearly allows, the answer is never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.support.live import live_embedded

EXAMPLES = 25  # per operation and caller; the fuzz CI budget is about a minute


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_embedded(Path(tmp_path_factory.mktemp("fuzz-api"))) as url:
        yield url


def bearer(live_url: str, username: str, password: str) -> dict[str, str]:
    response = httpx.post(f"{live_url}/api/identity/token",
                          data={"username": username, "password": password}, timeout=30)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
def callers(live_url: str) -> list[dict[str, str]]:
    return [{}, bearer(live_url, "demo.licensee", "Demo-Licensee-2026!"),
            bearer(live_url, "demo.officer", "Demo-Officer-2026!")]


def caller_name(caller: dict[str, str], callers: list[dict[str, str]]) -> str:
    return ("anonymous", "demo.licensee", "demo.officer")[callers.index(caller)]


def test_no_request_gets_a_server_error(live_url: str,
                                        callers: list[dict[str, str]]) -> None:
    schema = schemathesis.openapi.from_url(f"{live_url}/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        if operation.path == "/api/identity/signout":
            continue  # takes nothing but the token, and would end the callers' sessions

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case) -> None:  # type: ignore[no-untyped-def]
            caller = callers[len(repr(case.path_parameters) + repr(case.query)) % len(callers)]
            response = case.call(base_url=live_url, headers=caller, timeout=30)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code} "
                f"(as {caller_name(caller, callers)}): "
                f"{case.as_curl_command(headers=caller)}")

        try:
            call()
        except AssertionError as error:
            failures.append(str(error).splitlines()[0][:400])
    assert operations > 20
    assert not failures, "\n".join(failures)
