"""The site-data pages: upload with JavaScript off, the list, the three reports, downloads."""

from __future__ import annotations

import csv
import hashlib
import io
import re

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.portal import csrf_token, signin
from tests.support.sitedata_files import invalid_file, valid_file

LICENSEE = ("demo.licensee", "Demo-Licensee-2026!")


async def _upload(client: httpx.AsyncClient, name: str, content: bytes,
                  mode: str = "replace") -> httpx.Response:
    token = await csrf_token(client, "/sitedata/upload")
    return await client.post("/sitedata/upload", data={"csrf_token": token, "mode": mode},
                             files={"file": (name, content, "text/csv")})


async def test_a_valid_file_is_received_then_processed_with_its_reports(
        client: httpx.AsyncClient, system: EmbeddedSystem) -> None:
    await signin(client, *LICENSEE)
    form = await client.get("/sitedata/upload")
    assert "This upload is for account 100000001." in form.text
    assert 'enctype="multipart/form-data"' in form.text
    # the GC Design System uploader, with the native control inside it for no-JavaScript
    uploader = re.search(r"<gcds-file-uploader .*?</gcds-file-uploader>", form.text, re.DOTALL)
    assert uploader and 'name="file"' in uploader.group(0) and "required" in uploader.group(0)
    assert '<input id="field-file" name="file" type="file"' in uploader.group(0)
    answer = await _upload(client, "stations.csv", valid_file())
    assert answer.status_code == 303
    summary_url = answer.headers["location"]
    received = await client.get(summary_url)
    assert "Your file was received." in received.text
    await system.settle()
    summary = await client.get(summary_url)
    assert "Processed" in summary.text and "010898101" in summary.text
    assert "demo.licensee" in summary.text
    stations = await client.get(f"{summary_url}/stations")
    assert "Site 0" in stations.text and "Site 1" in stations.text
    listing = await client.get("/sitedata/uploads?lang=fr")
    assert "stations.csv" in listing.text and "Traité" in listing.text
    status = await client.get(f"{summary_url}/status.json")
    assert status.json() == {"status": "Processed", "text": "Traité", "progress": {
        "percent": 100, "phase": "done",
        "text": "4 lignes vérifiées, 4 lignes appliquées (100 %)"}}


async def test_an_invalid_file_shows_its_error_report_and_the_csv_download(
        client: httpx.AsyncClient, system: EmbeddedSystem) -> None:
    await signin(client, *LICENSEE)
    answer = await _upload(client, "broken.csv", invalid_file())
    summary_url = answer.headers["location"]
    await system.settle()
    summary = await client.get(summary_url)
    assert "Errors Found" in summary.text and "See the error report" in summary.text
    report = await client.get(f"{summary_url}/errors")
    assert 'id="error-report"' in report.text and "<td>400</td>" in report.text
    download = await client.get(f"{summary_url}/errors.csv")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.text)))
    assert len(rows) >= 3 and any("400" in cell for row in rows for cell in row)


async def test_a_refused_file_comes_back_to_the_form_with_a_linked_error(
        client: httpx.AsyncClient) -> None:
    await signin(client, *LICENSEE)
    answer = await _upload(client, "stations.xlsx", b"PK\x03\x04 not a csv")
    assert answer.status_code == 415
    assert 'href="#field-file"' in answer.text and 'aria-invalid="true"' in answer.text
    assert re.search(r'<gcds-file-uploader [^>]*error-message="[^"]+"', answer.text)
    missing = await client.post("/sitedata/upload", data={"mode": "replace"},
                                files={"file": ("a.csv", b"x", "text/csv")})
    assert missing.status_code == 403 and "PORTAL-CSRF" in missing.text


async def test_the_template_and_the_example_explain_the_54_columns(
        client: httpx.AsyncClient, system: EmbeddedSystem) -> None:
    template = await client.get("/sitedata/template.csv")
    assert "attachment" in template.headers["content-disposition"]
    header = next(csv.reader(io.StringIO(template.text)))
    assert len(header) == 54 and header[0].startswith("A ") and header[-1].startswith("BB ")
    columns = await client.get("/sitedata/columns?lang=fr")
    assert columns.text.count('<tr id="column-') == 54
    assert "Au plus 63 caractères." in columns.text
    example = (await client.get("/sitedata/example.csv")).content
    await signin(client, *LICENSEE)
    answer = await _upload(client, "example.csv", example)
    await system.settle()
    assert "Processed" in (await client.get(answer.headers["location"] + "?lang=en")).text


async def test_the_upload_pages_need_a_session_and_hide_other_profiles_uploads(
        client: httpx.AsyncClient) -> None:
    answer = await client.get("/sitedata/uploads")
    assert answer.status_code == 303 and "/identity/signin" in answer.headers["location"]
    await signin(client, *LICENSEE)
    missing = await client.get("/sitedata/uploads/nope")
    assert missing.status_code == 404 and "There is no such upload" in missing.text


async def test_the_summary_is_the_whole_receipt_and_prints_on_its_own(
        client: httpx.AsyncClient, system: EmbeddedSystem) -> None:
    await signin(client, *LICENSEE)
    content = valid_file(stations=2)
    answer = await _upload(client, "receipt.csv", content)
    summary_url = answer.headers["location"]
    await system.settle()
    upload_id = summary_url.rsplit("/", 1)[1]
    api = (await client.get(f"/api/sitedata/uploads/{upload_id}/summary",
                            headers={"Authorization": f"Bearer {client.cookies['sms_session']}"}
                            )).json()
    assert api["upload"]["sha256"] == hashlib.sha256(content).hexdigest()
    summary = await client.get(summary_url)
    receipt = await client.get(f"{summary_url}/receipt")
    assert receipt.status_code == 200
    for page in (summary.text, receipt.text):  # everything the API gives for the upload
        upload = api["upload"]
        for value in (upload["id"], upload["sha256"], upload["filename"],
                      upload["account_number"], api["uploader"], "Processed", "Replace"):
            assert value in page, value
        for licence in api["licences"]:
            assert licence["licence_number"] in page
    assert f'href="{summary_url}/receipt"' in summary.text
    # the printable page: no menus, the statement a licensee keeps as proof
    assert "<gcds-header" not in receipt.text and "data-portal-print" in receipt.text
    assert "processed it successfully" in receipt.text
    assert "rows checked" in receipt.text and "<dt>Checked</dt>" in summary.text
    french = await client.get(f"{summary_url}/receipt?lang=fr")
    assert "Reçu de téléversement" in french.text and "SHA-256 du fichier" in french.text


async def test_the_old_summary_link_of_earlier_mails_still_opens_the_summary(
        client: httpx.AsyncClient, system: EmbeddedSystem) -> None:
    await signin(client, *LICENSEE)
    answer = await _upload(client, "old-link.csv", valid_file())
    summary_url = answer.headers["location"]
    old = await client.get(f"{summary_url}/summary")
    assert old.status_code == 301 and old.headers["location"] == summary_url


async def test_the_upload_list_shows_the_seeds_statuses_word_for_word(
        client: httpx.AsyncClient, system: EmbeddedSystem) -> None:
    await signin(client, *LICENSEE)
    await _upload(client, "broken-list.csv", invalid_file())
    await system.settle()
    listing = await client.get("/sitedata/uploads")
    assert "Errors Found" in listing.text and "Errors found" not in listing.text
