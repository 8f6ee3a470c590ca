"""Cross-account access: a profile that acts for another account is denied every operation
that takes an id of the demo licensee's account (account, licence, upload, application,
document, request for advice),
unless the data is public by design. The matrix is built from /openapi.json, so every new
endpoint is covered without touching this file.

The other profile registers as the holder of account 100000002 (seeded shared secret); it is
not linked to 100000001 and not invited to any of its applications.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.security.matrix import Probe, fill, probes
from tests.support.journey import FINAL
from tests.support.live import live_embedded
from tests.support.sitedata_files import valid_file

OWNER = ("demo.licensee", "Demo-Licensee-2026!")
OUTSIDER = "other.holder"
PASSWORD = "Str0ng-Passw0rd!"
DENIED = {401, 403, 404}
PDF = b"%PDF-1.4\n%%EOF\n"
APPLICATIONS = "/api/licensing/applications"


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with live_embedded(Path(tmp_path_factory.mktemp("security"))) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        yield client


def bearer(http: httpx.Client, username: str, password: str) -> dict[str, str]:
    response = http.post("/api/identity/token", data={"username": username,
                                                      "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
def owner(http: httpx.Client) -> dict[str, str]:
    return bearer(http, *OWNER)


@pytest.fixture(scope="module")
def outsider(http: httpx.Client) -> dict[str, str]:
    body = {"kind": "existing_holder", "account_number": "100000002",
            "shared_secret": "DEMO-2026-SMS2",
            "user": {"username": OUTSIDER, "password": PASSWORD, "confirm_password": PASSWORD,
                     "name": "Other Holder", "phone": "613-555-0142",
                     "email": "other.holder@example.ca", "language": "en"}}
    response = http.post("/api/identity/registrations", json=body)
    assert response.status_code == 201, response.text
    return bearer(http, OUTSIDER, PASSWORD)


@pytest.fixture(scope="module")
def ids(http: httpx.Client, owner: dict[str, str], spec: dict[str, Any]) -> dict[str, str]:
    """Real ids of the owner's account: the request is well formed, only the caller differs."""
    found = {"account": "100000001", "licence": "010898101"}
    response = http.post("/api/sitedata/uploads", headers=owner, data={"mode": "append"},
                         files={"file": ("stations.csv", valid_file("010898101", 1),
                                         "text/csv")})
    assert response.status_code == 202, response.text
    found["upload"] = response.json()["id"]
    for _ in range(100):
        status = http.get(f"/api/sitedata/uploads/{found['upload']}", headers=owner)
        if status.json()["status"] in FINAL:
            break
    if "post" in spec["paths"].get(APPLICATIONS, {}):  # a draft of the owner's account
        created = http.post(APPLICATIONS, headers=owner,
                            json={"family": "radio", "account_number": found["account"]})
        assert created.status_code == 201, created.text
        found["application"] = created.json()["id"]
        document = http.post(f"{APPLICATIONS}/{found['application']}/documents", headers=owner,
                             data={"kind": "map"}, files={"file": ("area.pdf", PDF)})
        assert document.status_code == 201, document.text
        found["document"] = document.json()["id"]
    advice = http.post("/api/licensing/advice-requests", headers=owner, json={
        "account_number": found["account"], "kind": "transfer", "other_party": "Buyer Inc.",
        "licence_numbers": [found["licence"]], "description": "Selling one licence.",
        "questions": "Would ISED see a concern?"})
    assert advice.status_code == 201, advice.text
    found["advice"] = advice.json()["id"]
    return found


@pytest.fixture(scope="module")
def spec(http: httpx.Client) -> dict[str, Any]:
    return dict(http.get("/openapi.json").json())


@pytest.fixture(scope="module")
def extra(http: httpx.Client, owner: dict[str, str]) -> dict[str, str]:
    me = http.get("/api/identity/me", headers=owner).json()
    return {"profile_id": str(me.get("profile_id") or me.get("id") or "x")}


def call(http: httpx.Client, probe: Probe, headers: dict[str, str], ids: dict[str, str],
         extra: dict[str, str]) -> httpx.Response:
    path, query = fill(probe, ids, extra)
    body = {"json": {}} if probe.has_body else {}
    return http.request(probe.method, path, params=query, headers=headers, **body)


def test_the_matrix_covers_the_id_taking_endpoints(spec: dict[str, Any]) -> None:
    found = {str(p) for p in probes(spec)}
    assert "GET /api/sitedata/uploads/{upload_id}" in found
    assert "GET /api/reports/accounts/{account}/status-report" in found
    assert "GET /api/licensing/applications/{application_id}/documents/{document_id}" in found
    assert "POST /api/licensing/applications/{application_id}/documents" in found
    assert "GET /api/licensing/advice-requests/{advice_id}" in found
    assert len(found) >= 10


def test_another_accounts_profile_is_denied_everywhere(
        http: httpx.Client, spec: dict[str, Any], ids: dict[str, str],
        owner: dict[str, str], outsider: dict[str, str], extra: dict[str, str]) -> None:
    leaks, unexercised, checked = [], [], 0
    for probe in probes(spec):
        if not probe.kinds <= set(ids):
            unexercised.append(f"{probe} (no {', '.join(probe.kinds - set(ids))} to probe)")
            continue
        response = call(http, probe, outsider, ids, extra)
        checked += 1
        if response.status_code not in DENIED and not (
                probe.has_body and response.status_code == 422):
            leaks.append(f"{probe} -> {response.status_code}: {response.text[:200]}")
    assert not leaks, "\n".join(leaks)
    assert checked >= 10, unexercised


def test_the_same_reads_succeed_for_the_owner(
        http: httpx.Client, spec: dict[str, Any], ids: dict[str, str],
        owner: dict[str, str], extra: dict[str, str]) -> None:
    """The denials above mean something: the owner's identical GETs are answered."""
    refused = []
    for probe in probes(spec):
        if probe.method != "get" or not probe.kinds <= set(ids):
            continue
        response = call(http, probe, owner, ids, extra)
        if response.status_code >= 400 and response.status_code != 403:
            refused.append(f"{probe} -> {response.status_code}: {response.text[:200]}")
    assert not refused, "\n".join(refused)


def test_an_anonymous_caller_is_denied_everywhere(
        http: httpx.Client, spec: dict[str, Any], ids: dict[str, str],
        extra: dict[str, str]) -> None:
    leaks = []
    for probe in probes(spec):
        if not probe.kinds <= set(ids):
            continue
        response = call(http, probe, {}, ids, extra)
        if response.status_code not in DENIED and not (
                probe.has_body and response.status_code == 422):
            leaks.append(f"{probe} -> {response.status_code}")
    assert not leaks, "\n".join(leaks)
