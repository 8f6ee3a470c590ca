"""The skeleton journey on the real stack: separate processes, Kafka protocol, PostgreSQL, S3,
SMTP — nothing in-process, nothing mocked."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg

from services.gateway.stack import Stack
from tests.support.journey import eventually, token, upload, wait_final
from tests.support.sitedata_files import invalid_file, valid_file


async def linked(http: httpx.AsyncClient, headers: dict[str, str]) -> None:
    """The demo data reaches sitedata through Kafka: wait for the account link."""

    async def read_model_ready() -> bool:
        probe = await upload(http, headers, valid_file("010898103", 1),
                             params={"dry_run": "true"})
        return probe.status_code == 202 and probe.json()["valid"] is True

    await eventually(read_model_ready, timeout=60, interval=0.5)


async def test_upload_journey_crosses_every_service(stack: Stack) -> None:
    stack.mail.clear()
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        headers = await token(http)
        await linked(http, headers)
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
        # one request waits for the end: the api process learns it from the consumer's
        # process through PostgreSQL (the pipeline is warm: this takes well under the 30 s)
        waited = await http.get(f"/api/sitedata/uploads/{bad.json()['id']}", headers=headers,
                                params={"wait": "30"}, timeout=45)
        assert waited.json()["status"] == "Errors Found"

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


async def test_the_faust_worker_keeps_the_dashboard_on_the_stack(stack: Stack) -> None:
    """On the real stack the consumer leaves the dashboard's running aggregates to the faust
    worker (``reports stream``): the figures the officers see are the ones it folded."""
    assert stack.procs[("reports", "stream")].process is not None
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        headers = await token(http)
        staff = await token(http, "demo.officer", "Demo-Officer-2026!")
        await linked(http, headers)
        bad = await upload(http, headers, invalid_file("010898102"))
        assert bad.status_code == 202, bad.text
        await wait_final(http, headers, bad.json()["id"], timeout=90)

        async def folded() -> dict[str, Any] | None:
            response = await http.get("/api/reports/operations/dashboard", headers=staff)
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            statuses = {row["status"] for row in body["uploads_per_day"]}
            return body if "Errors Found" in statuses else None

        board = await eventually(folded, timeout=90, interval=0.5)
    assert board["top_error_codes"] and board["processing_seconds"]["p50"] >= 0
    assert stack.procs[("reports", "stream")].process.poll() is None
    with psycopg.connect(stack.pg.dsn("reports")) as connection:
        days = connection.execute("select count(*) from dashboard_days").fetchone()
    assert days and days[0] >= 1


async def test_a_service_that_is_down_answers_503_through_the_gateway(stack: Stack) -> None:
    """nginx in front (as in production): an api that does not answer is a 503 problem with
    Retry-After, never nginx's own error page; once it is back, the same request succeeds."""
    path = "/api/licensing/application-types"
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        http.headers.update(await token(http))
        assert (await http.get(path)).status_code == 200
        stack.kill("licensing", "api")
        try:
            down = await http.get(path)
            assert down.status_code == 503
            assert down.headers["content-type"].startswith("application/problem+json")
            assert down.headers["retry-after"] == "5"
            assert down.json()["code"] == "UPSTREAM-DOWN"
        finally:
            stack.restart("licensing", "api")

        async def back() -> bool:
            return (await http.get(path)).status_code == 200

        assert await eventually(back, timeout=60, interval=0.3)


async def test_a_sign_out_ends_the_session_in_every_service_of_the_stack(stack: Stack) -> None:
    """Identity's api ends the session; the event crosses Kafka to each service's consume
    process, which writes its table; each api process (another process) reads it within its
    refresh. The first sign-out waits for the consumer groups a fresh stack is still joining;
    the second must be refused everywhere within seconds."""
    reads = ("/api/identity/me", "/api/licensing/applications", "/api/sitedata/uploads",
             "/api/notifications/deliveries", "/api/reports/accounts")
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        for timeout in (120, 10):
            old = await token(http, "demo.officer", "Demo-Officer-2026!")
            for path in reads:
                assert (await http.get(path, headers=old)).status_code == 200, path
            assert (await http.post("/api/identity/signout", headers=old)).status_code == 204
            assert (await http.get("/api/identity/me", headers=old)).status_code == 401
            seen: dict[str, int] = {}

            async def ended_everywhere() -> bool:
                seen.update({path: (await http.get(path, headers=old)).status_code  # noqa: B023
                             for path in reads})
                return all(code == 401 for code in seen.values())  # noqa: B023

            try:
                await eventually(ended_everywhere, timeout=timeout, interval=0.2)
            except AssertionError as late:
                raise AssertionError(f"still accepted after {timeout} s: {seen}") from late
