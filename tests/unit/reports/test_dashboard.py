"""The ISED operations dashboard after a scripted set of events (staff only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.events import identity as ie
from shared.events import licensing as le
from shared.events import sitedata as se
from tests.unit.reports.conftest import Harness, harness_on

DAY = datetime(2026, 11, 18, 9, tzinfo=UTC)


def finished(n: int, day: datetime, seconds: float, status: str = "Processed",
             codes: dict[str, int] | None = None) -> se.UploadProcessedV1:
    return se.UploadProcessedV1(
        upload_id=f"u{n}", profile_id="p", account_number="100000001", status=status,
        mode="replace", filename="f.csv", records=1, error_count=sum((codes or {}).values()),
        received_at=day, processed_at=day + timedelta(seconds=seconds),
        licences={} if status != "Processed" else {"010898101": 1}, error_codes=codes or {})


async def script(reports: Harness) -> None:
    for n, seconds in enumerate([2, 4, 6, 8]):
        await reports.publish(finished(n, DAY, seconds))
    await reports.publish(finished(4, DAY + timedelta(days=1), 20, "Errors Found",
                                   {"SD-R4-CAPS": 3, "SD-R10-AZIMUTH": 1}))
    await reports.publish(finished(5, DAY + timedelta(days=1), 10, "Errors Found",
                                   {"SD-R4-CAPS": 1, "SD-F5-FIELDS": 2}))
    for number, issued in (("010898101", date(2020, 4, 1)), ("010898102", date(2020, 4, 1))):
        await reports.publish(le.LicenceGrantedV1(
            licence_number=number, account_number="100000001", kind="spectrum",
            status="Granted", issued_on=issued, expires_on=date(2030, 3, 31),
            site_data_required=True, site_data_from=date(2024, 10, 31), licensee_name="N"))
    await reports.publish(le.LicenceGrantedV1(
        licence_number="010898150", account_number="100000009", kind="spectrum",
        status="Granted", issued_on=date(2016, 1, 1), expires_on=date(2026, 1, 1),
        licensee_name="Gone Ltd.", service_area="Tier 4-012 Ottawa"),
        at=DAY - timedelta(days=30))
    await reports.publish(le.LicenceStatusChangedV1(
        licence_number="010898150", account_number="100000009", status="Returned",
        published_for_eoi=True, effective_on=date(2026, 11, 1)), at=DAY - timedelta(days=19))
    await reports.publish(ie.RegistrationSubmittedV1(
        registration_id="r1", profile_id="p1", username="a", kind="new-holder", email="a@x",
        needs_approval=True, office="HQ"), at=DAY - timedelta(days=12))
    await reports.publish(ie.RegistrationSubmittedV1(
        registration_id="r2", profile_id="p2", username="b", kind="new-holder", email="b@x",
        needs_approval=True, office="HQ"), at=DAY - timedelta(days=1))
    await reports.publish(ie.RegistrationSubmittedV1(
        registration_id="r3", profile_id="p3", username="c", kind="existing", email="c@x",
        needs_approval=False))
    await reports.publish(ie.RegistrationSubmittedV1(
        registration_id="r4", profile_id="p4", username="d", kind="new-holder", email="d@x",
        needs_approval=True), at=DAY - timedelta(days=20))
    await reports.publish(ie.RegistrationApprovedV1(
        registration_id="r4", profile_id="p4", kind="new-holder", email="d@x"))
    for n, (days_ago, standard) in enumerate([(40, 30), (5, 30)]):
        await reports.publish(le.ApplicationSubmittedV1(
            application_id=f"a{n}", number=f"APP-{n}", family="spectrum", account_number="1",
            profile_id="p", email="e@x", submitted_at=DAY - timedelta(days=days_ago),
            service_standard_days=standard))
    await reports.publish(le.ApplicationInfoRequestedV1(
        application_id="a0", number="APP-0", family="spectrum", account_number="1",
        profile_id="p", email="e@x", question="?"))


async def test_dashboard_figures_after_a_scripted_set_of_events(reports: Harness) -> None:
    await script(reports)
    response = await reports.http.get("/api/reports/operations/dashboard",
                                      headers=reports.auth(reports.officer))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["uploads"] == 6
    assert body["uploads_per_day"] == [
        {"day": "2026-11-18", "status": "Processed", "uploads": 4},
        {"day": "2026-11-19", "status": "Errors Found", "uploads": 2}]
    assert body["processing_seconds"] == {"p50": 6.0, "p90": 20.0, "p95": 20.0, "p99": 20.0}
    assert body["top_error_codes"][:2] == [{"code": "SD-R4-CAPS", "count": 4},
                                           {"code": "SD-F5-FIELDS", "count": 2}]
    assert body["overdue_licences"] == 1  # 010898102 never filed; 010898101 filed on the 18th
    assert body["open_for_eoi"] == 1
    assert body["registrations"] == {"pending": 2, "within_standard": 1, "late": 1}
    assert body["applications"] == {"pending": 2, "within_standard": 1, "late": 1}


async def test_the_window_holds_only_its_days_figures_and_each_upload_once(
        reports: Harness) -> None:
    await script(reports)  # today is 2026-11-20: the errors of the 19th are in a 2-day window
    await reports.publish(finished(6, DAY, 3, "Errors Found", {"SD-OLD": 9}))
    await reports.publish(finished(6, DAY, 3, "Errors Found", {"SD-OLD": 9}))  # sent twice
    staff = reports.auth(reports.officer)

    async def board(days: int) -> dict[str, Any]:
        response = await reports.http.get("/api/reports/operations/dashboard",
                                          headers=staff, params={"days": days})
        return dict(response.json())

    two, three = await board(2), await board(3)
    assert two["uploads"] == 2
    assert [e["code"] for e in two["top_error_codes"]] == [
        "SD-R4-CAPS", "SD-F5-FIELDS", "SD-R10-AZIMUTH"]
    assert three["uploads"] == 7
    assert three["top_error_codes"][0] == {"code": "SD-OLD", "count": 9}


async def test_the_consumer_leaves_the_dashboard_to_the_stream_worker(tmp_path: Path) -> None:
    async with harness_on(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", tmp_path / "objects",
                          dashboard_stream=True) as reports:
        await script(reports)
        body = (await reports.http.get("/api/reports/operations/dashboard",
                                       headers=reports.auth(reports.officer))).json()
    assert body["uploads"] == 0 and body["top_error_codes"] == []
    assert body["overdue_licences"] == 1  # the rest of the dashboard is the consumer's


async def test_dashboard_lists_and_charts(reports: Harness) -> None:
    await script(reports)
    staff = reports.auth(reports.officer)
    overdue = (await reports.http.get("/api/reports/operations/overdue", headers=staff)).json()
    assert [(o["licence_number"], o["next_due"]) for o in overdue["items"]] == [
        ("010898102", "2024-11-30")]
    eoi = (await reports.http.get("/api/reports/operations/eoi", headers=staff)).json()
    assert eoi["items"][0] == {"licence_number": "010898150", "licensee_name": "Gone Ltd.",
                               "service": "", "service_area": "Tier 4-012 Ottawa",
                               "returned_on": "2026-11-01"}
    pending = (await reports.http.get("/api/reports/operations/pending/applications",
                                      headers=staff)).json()
    assert [(p["ref"], p["state"], p["late"]) for p in pending["items"]] == [
        ("APP-0", "info_requested", True), ("APP-1", "pending", False)]
    per_day = (await reports.http.get("/api/reports/operations/uploads-per-day",
                                      headers=staff, params={"limit": 1})).json()
    assert per_day["total"] == 2 and len(per_day["items"]) == 1
    for chart in ("uploads", "errors", "processing"):
        picture = await reports.http.get(f"/api/reports/operations/charts/{chart}.svg",
                                         headers=staff)
        assert picture.status_code == 200 and picture.text.startswith("<svg")
    assert "SD-R4-CAPS" in (await reports.http.get(
        "/api/reports/operations/charts/errors.svg", headers=staff)).text
    missing = await reports.http.get("/api/reports/operations/charts/pie.svg", headers=staff)
    assert missing.status_code == 404


async def test_the_dashboard_is_for_staff_only(reports: Harness) -> None:
    for path in ("dashboard", "overdue", "eoi", "pending/registrations", "charts/uploads.svg"):
        url = f"/api/reports/operations/{path}"
        assert (await reports.http.get(url)).status_code == 401
        refused = await reports.http.get(url, headers=reports.auth(reports.licensee))
        assert refused.status_code == 403 and refused.json()["code"] == "AUTH-STAFF-ONLY"
