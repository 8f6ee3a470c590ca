"""The skeleton journey on the real stack: separate processes, Kafka protocol, PostgreSQL, S3,
SMTP — nothing in-process, nothing mocked."""

from __future__ import annotations

import httpx
import psycopg

from services.gateway.stack import Stack
from tests.support.journey import eventually, token, upload, wait_final
from tests.support.sitedata_files import invalid_file, valid_file


async def test_upload_journey_crosses_every_service(stack: Stack) -> None:
    stack.mail.clear()
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        headers = await token(http)

        async def read_model_ready() -> bool:
            # the demo data reaches sitedata through Kafka; wait for the account link
            probe = await upload(http, headers, valid_file("010898103", 1),
                                 params={"dry_run": "true"})
            return probe.status_code == 202 and probe.json()["valid"] is True

        await eventually(read_model_ready, timeout=60, interval=0.5)
        response = await upload(http, headers, valid_file("010898101", stations=3))
        assert response.status_code == 202, response.text
        upload_id = response.json()["id"]
        final = await wait_final(http, headers, upload_id, timeout=90)
        assert final["status"] == "Processed"
        assert final["records"] == 6
        stations = (await http.get(f"/api/sitedata/uploads/{upload_id}/stations",
                                   headers=headers)).json()
        assert stations["total"] == 6

        bad = await upload(http, headers, invalid_file("010898102"))
        bad_final = await wait_final(http, headers, bad.json()["id"], timeout=90)
        assert bad_final["status"] == "Errors Found"

    mails = await stack.mail.wait_for_async(2, timeout=90)
    subjects = sorted(m.subject.lower() for m in mails)
    assert any("processed" in s for s in subjects) and any("errors" in s for s in subjects)
    assert all(m.rcpt_to == ["licensee@example.ca"] for m in mails)

    async def reported() -> int:
        with psycopg.connect(stack.pg.dsn("reports")) as connection:
            row = connection.execute("select count(*) from upload_log").fetchone()
            return int(row[0]) if row else 0

    assert await eventually(reported, timeout=60) >= 2
    assert stack.s3.client().head_object(Bucket="sms-objects", Key=f"uploads/{upload_id}.csv")
