"""Documents of applications end to end: uploaded into the object store (type and size
checked), required by the checks, listed and downloaded by the parties and staff only."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.gateway.app import create_app
from services.gateway.embedded import EmbeddedSystem
from tests.support.licensing import (
    API,
    PDF,
    errors,
    holder_of_second_account,
    new_application,
    officer_and_licensee,
    save,
    submit,
    upload,
)
from tests.support.portal import csrf_token, signin

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
RADIO_THIRD_PARTY = {
    "station": {"station_type": "mobile", "purpose": "new", "station_count": 2},
    "location": {"civic_address": "100 Bank St, Ottawa ON"},
    "technical": {"frequencies": [{"mhz": 806.5}], "erp_watts": 5, "bandwidth_khz": 12.5,
                  "emission_designator": "11K0F3E", "equipment_certification": "511B-NX5800"},
    "filer": {"third_party": True, "agent_name": "Radio Agents Ltd."},
    "attestation": {"true_and_correct": True, "signer_name": "A. Signer"},
}


def stored_objects(system: EmbeddedSystem) -> list[Path]:
    root = Path(system.infra.store.root) / "licensing"  # type: ignore[attr-defined]
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_a_required_document_is_a_real_file(system: EmbeddedSystem,
                                                  client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    app_id = await new_application(client, licensee, "radio")
    await save(client, licensee, app_id, RADIO_THIRD_PARTY)
    assert await errors(client, licensee, app_id) == {
        "filer": {"power_of_attorney": "RAD-POWER-OF-ATTORNEY"}}

    renamed = await upload(client, licensee, app_id, "power_of_attorney", "poa.pdf", PNG)
    assert renamed.status_code == 415 and renamed.json()["code"] == "APP-DOCUMENT-CONTENT"
    wrong_kind = await upload(client, licensee, app_id, "power_of_attorney", "poa.kml",
                              b"<?xml version='1.0'?><kml></kml>")
    assert wrong_kind.status_code == 415 and wrong_kind.json()["code"] == "APP-DOCUMENT-TYPE"
    program = await upload(client, licensee, app_id, "other", "setup.exe", b"MZ\x90\x00")
    assert program.status_code == 415
    unknown = await upload(client, licensee, app_id, "selfie", "poa.pdf", PDF)
    assert unknown.status_code == 422 and unknown.json()["code"] == "APP-DOCUMENT-KIND"
    empty = await upload(client, licensee, app_id, "power_of_attorney", "poa.pdf", b"")
    assert empty.status_code == 422
    assert stored_objects(system) == []  # nothing refused is kept

    added = await upload(client, licensee, app_id, "power_of_attorney", "Signed POA.pdf", PDF)
    assert added.status_code == 201, added.text
    document = added.json()
    assert (document["kind"], document["size"], document["content_type"]) == (
        "power_of_attorney", len(PDF), "application/pdf")
    assert len(stored_objects(system)) == 1
    assert await errors(client, licensee, app_id) == {}

    for who in (licensee, officer):
        listed = (await client.get(f"{API}/applications/{app_id}/documents",
                                   headers=who)).json()
        assert [d["filename"] for d in listed] == ["Signed POA.pdf"]
        got = await client.get(f"{API}/applications/{app_id}/documents/{document['id']}",
                               headers=who)
        assert got.status_code == 200 and got.content == PDF
        assert 'filename="Signed_POA.pdf"' in got.headers["content-disposition"]

    outsider = await holder_of_second_account(system)
    for method, path in (("GET", f"/applications/{app_id}/documents"),
                         ("GET", f"/applications/{app_id}/documents/{document['id']}"),
                         ("DELETE", f"/applications/{app_id}/documents/{document['id']}")):
        assert (await client.request(method, API + path, headers=outsider)).status_code == 404
    sneaked = await upload(client, outsider, app_id, "other", "x.pdf", PDF)
    assert sneaked.status_code == 404
    assert len(stored_objects(system)) == 1

    await submit(client, licensee, app_id)
    closed = await upload(client, licensee, app_id, "other", "late.pdf", PDF)
    assert closed.status_code == 409 and closed.json()["code"] == "APP-DOCUMENT-CLOSED"
    asked = await client.post(f"{API}/applications/{app_id}/request-info", headers=officer,
                              json={"question": "Send the licence of the agent."})
    assert asked.status_code == 204
    answer = await upload(client, licensee, app_id, "other", "agent-licence.pdf", PDF)
    assert answer.status_code == 201


@pytest.fixture
async def small_documents(system: EmbeddedSystem) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an application whose licensing routers take documents of 100 kB at most
    (they read the limit from the context they are built with)."""
    licensing: Any = system.service("licensing")
    licensing.context = replace(licensing.context, settings=licensing.settings.model_copy(
        update={"document_max_bytes": 100_000}))
    app = create_app(system.services, ready=lambda: system.ready)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as http:
        yield http


async def test_too_large_and_removed_documents(system: EmbeddedSystem,
                                               small_documents: httpx.AsyncClient) -> None:
    client = small_documents
    _, licensee = await officer_and_licensee(client)
    app_id = await new_application(client, licensee, "spectrum")
    large = await upload(client, licensee, app_id, "map", "area.pdf", PDF + b"0" * 150_000)
    assert large.status_code == 413 and large.json()["code"] == "APP-DOCUMENT-TOO-LARGE"
    assert stored_objects(system) == []
    no_file = await client.post(f"{API}/applications/{app_id}/documents", headers=licensee,
                                files={"kind": (None, "map")})
    assert no_file.status_code == 422 and no_file.json()["code"] == "APP-DOCUMENT-NO-FILE"
    lost = (await upload(client, licensee, app_id, "other", "note.txt", b"a note\n")).json()
    for path in stored_objects(system):
        path.unlink()  # the store lost it: a clear 404, not a 500
    gone = await client.get(f"{API}/applications/{app_id}/documents/{lost['id']}",
                            headers=licensee)
    assert gone.status_code == 404 and gone.json()["code"] == "APP-DOCUMENT-GONE"
    await client.delete(f"{API}/applications/{app_id}/documents/{lost['id']}",
                        headers=licensee)

    await save(client, licensee, app_id, {"spectrum": {"spectra": [
        {"block": "3650-3660", "custom_area": "Lake area", "map_enclosed": True}]}})
    assert (await errors(client, licensee, app_id))["spectrum"] == {
        "spectra[0].map_enclosed": "APP-DOCUMENT-MISSING"}
    added = (await upload(client, licensee, app_id, "map", "lake.kmz",
                          b"PK\x03\x04" + b"\x00" * 40)).json()
    assert "spectrum" not in await errors(client, licensee, app_id)
    removed = await client.delete(f"{API}/applications/{app_id}/documents/{added['id']}",
                                  headers=licensee)
    assert removed.status_code == 204 and stored_objects(system) == []
    assert "spectrum" in await errors(client, licensee, app_id)


async def test_documents_through_the_pages(system: EmbeddedSystem,
                                           client: httpx.AsyncClient) -> None:
    await signin(client, "demo.licensee", "Demo-Licensee-2026!")
    _, licensee = await officer_and_licensee(client)
    app_id = await new_application(client, licensee, "radio")
    step = f"/licensing/applications/{app_id}/step/filer"
    page = await client.get(step)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    token = await csrf_token(client, step)
    action = f"/licensing/applications/{app_id}/documents"
    refused = await client.post(action, params={"back": step},
                                data={"csrf_token": token, "document_kind": "map"},
                                files={"document_file": ("map.docx", b"PK\x03\x04")})
    assert refused.status_code == 303 and "document_error=APP-DOCUMENT-TYPE" in \
        refused.headers["location"]
    shown = await client.get(refused.headers["location"].split("#")[0])
    assert "This type of file is not accepted" in shown.text
    added = await client.post(action, params={"back": step},
                              data={"csrf_token": token, "document_kind": "power_of_attorney"},
                              files={"document_file": ("poa.pdf", PDF)})
    assert added.status_code == 303 and added.headers["location"].startswith(step)
    french = await client.get(f"/licensing/applications/{app_id}", params={"lang": "fr"})
    assert "Procuration" in french.text and "poa.pdf" in french.text
    link = re.search(r'href="(/api/licensing/applications/[^"]+/documents/[^"]+)"', french.text)
    assert link and (await client.get(link.group(1))).content == PDF
    forged = await client.post(action, data={"csrf_token": "forged"},
                               files={"document_file": ("poa.pdf", PDF)})
    assert forged.status_code == 403
    assert len(stored_objects(system)) == 1  # the forged one never reached the store
