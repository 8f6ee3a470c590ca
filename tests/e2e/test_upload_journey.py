"""The skeleton journey in embedded mode: sign in, upload, validate, apply, mail, report."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from services.gateway.embedded import EmbeddedSystem
from tests.support.journey import eventually, token, upload, wait_final
from tests.support.sitedata_files import invalid_file, valid_file


async def test_valid_upload_is_processed_mailed_and_reported(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    headers = await token(client)
    response = await upload(client, headers, valid_file("010898101", stations=2))
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "Validation in Progress"

    final = await wait_final(client, headers, accepted["id"])
    assert final["status"] == "Processed"
    assert final["records"] == 4

    stations = (await client.get(f"/api/sitedata/uploads/{accepted['id']}/stations",
                                 headers=headers)).json()
    assert stations["total"] == 4
    summary = (await client.get(f"/api/sitedata/uploads/{accepted['id']}/summary",
                                headers=headers)).json()
    assert summary["licences"][0]["licence_number"] == "010898101"
    assert len(summary["upload"]["sha256"]) == 64
    assert summary["uploader"] == "demo.licensee"

    mails = await system.mail.wait_for_async(1, timeout=30)
    assert mails[0].rcpt_to == ["licensee@example.ca"]
    assert "processed" in mails[0].subject.lower()
    assert f"/sitedata/uploads/{accepted['id']}?lang=" in (mails[0].text or "")

    reports = system.service("reports")
    from services.reports.adapters.tables import upload_log

    async def recorded() -> object:
        async with reports.uows() as uow:
            return (await uow.session.execute(select(upload_log.c.status).where(
                upload_log.c.upload_id == accepted["id"]))).scalar()

    assert await eventually(recorded) == "Processed"


async def test_invalid_upload_ends_with_errors_and_an_error_report(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    headers = await token(client)
    response = await upload(client, headers, invalid_file("010898102"))
    assert response.status_code == 202, response.text
    upload_id = response.json()["id"]
    final = await wait_final(client, headers, upload_id)
    assert final["status"] == "Errors Found"
    errors = (await client.get(f"/api/sitedata/uploads/{upload_id}/errors",
                               headers=headers)).json()
    codes = {e["code"] for e in errors["items"]}
    assert any("CAPS" in code for code in codes), codes
    assert all(e["line"] == 3 for e in errors["items"]), errors
    report = await client.get(f"/api/sitedata/uploads/{upload_id}/errors.csv", headers=headers)
    assert report.status_code == 200
    assert report.text.startswith("line,column,column_name,value,code,message")
    stations = (await client.get(f"/api/sitedata/uploads/{upload_id}/stations",
                                 headers=headers)).json()
    assert stations["total"] == 0
    mails = await system.mail.wait_for_async(1, timeout=30)
    assert f"/sitedata/uploads/{upload_id}/errors" in (mails[0].text or "")


async def test_another_profile_cannot_read_an_upload(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    headers = await token(client)
    upload_id = (await upload(client, headers, valid_file())).json()["id"]
    officer = await token(client, "demo.officer", "Demo-Officer-2026!")
    assert (await client.get(f"/api/sitedata/uploads/{upload_id}", headers=officer)
            ).status_code == 200
    stranger = await client.get(f"/api/sitedata/uploads/{upload_id}")
    assert stranger.status_code == 401
    assert stranger.headers["content-type"].startswith("application/problem+json")
