"""The Spectrum Licence Site Data Status Report, with a controlled clock: each licence's due
date, who may see it, and the CSV download."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from shared.events import identity as ie
from shared.events import licensing as le
from shared.events import sitedata as se
from tests.unit.reports.conftest import Harness


def spectrum(number: str, account: str = "100000001", *, status: str = "Granted",
             issued: date = date(2020, 4, 1), required: bool = True) -> le.LicenceGrantedV1:
    return le.LicenceGrantedV1(
        licence_number=number, account_number=account, kind="spectrum", status=status,
        issued_on=issued, expires_on=date(2030, 3, 31), site_data_required=required,
        site_data_from=date(2024, 10, 31) if required else None,
        licensee_name="Northern Demo Wireless Inc.", service="Cellular")


def processed(upload_id: str, received: datetime, licences: dict[str, int],
              status: str = "Processed") -> se.UploadProcessedV1:
    return se.UploadProcessedV1(
        upload_id=upload_id, profile_id="p-licensee", account_number="100000001", status=status,
        mode="replace", filename="f.csv", records=sum(licences.values()), error_count=0,
        received_at=received, processed_at=received, licences=licences)


async def seed(reports: Harness) -> None:
    await reports.publish(le.AccountCreatedV1(
        account_number="100000001", legal_name="Northern Demo Wireless Inc.",
        email="licensee@example.ca", secret_hash="x"))
    await reports.publish(ie.AccountLinkedV1(profile_id="p-licensee", account_number="100000001",
                                             relation="owner", rights=["view", "upload"]))
    await reports.publish(spectrum("010898101"))
    await reports.publish(spectrum("010898102"))
    await reports.publish(spectrum("010898103", issued=date(2026, 9, 14)))
    await reports.publish(spectrum("010898104", required=False))
    await reports.publish(spectrum("010898105", status="Expired"))
    await reports.publish(le.LicenceGrantedV1(
        licence_number="5000001", account_number="100000001", kind="radio", status="Granted",
        issued_on=date(2020, 1, 1), expires_on=date(2030, 1, 1)))
    key = await reports.put_stations("public/stations/010898101/u1.jsonl", [
        {"licence_number": "010898101", "location": f"Site {n}", "line": n + 2,
         "fields": [""] * 54} for n in range(3)])
    await reports.publish(se.StationsReplacedV1(
        licence_number="010898101", upload_id="u1", applied_at=datetime(2026, 11, 5, 13,
                                                                          tzinfo=UTC),
        mode="replace", station_count=3, record_count=3, object_key=key))
    await reports.publish(processed("u1", datetime(2026, 11, 5, 12, tzinfo=UTC),
                                    {"010898101": 3, "010898102": 0}))
    # an upload with errors files nothing
    await reports.publish(processed("u2", datetime(2026, 11, 6, 12, tzinfo=UTC),
                                    {"010898103": 1}, status="Errors Found"))


async def test_due_dates_follow_the_rule_with_a_controlled_clock(reports: Harness) -> None:
    await seed(reports)
    response = await reports.http.get("/api/reports/accounts/100000001/status-report",
                                      headers=reports.auth(reports.licensee))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["as_of"] == "2026-11-20" and body["legal_name"] == "Northern Demo Wireless Inc."
    lines = {x["licence_number"]: x for x in body["licences"]["items"]}
    assert set(lines) == {"010898101", "010898102", "010898103", "010898104", "010898105"}
    assert (lines["010898101"]["last_upload"], lines["010898101"]["next_due"],
            lines["010898101"]["records_on_file"]) == ("2026-11-05", "2026-12-31", 3)
    assert lines["010898102"]["next_due"] == "2026-12-31"  # NOSTATIONS counts as filed
    assert (lines["010898103"]["last_upload"], lines["010898103"]["next_due"],
            lines["010898103"]["overdue"]) == (None, "2026-10-31", True)
    assert lines["010898104"]["must_upload"] is False and lines["010898104"]["next_due"] is None
    assert lines["010898105"]["next_due"] is None

    reports.clock.set(datetime(2027, 1, 1, 9, tzinfo=UTC))
    later = (await reports.http.get("/api/reports/accounts/100000001/status-report",
                                    headers=reports.auth(reports.licensee))).json()
    overdue = {x["licence_number"] for x in later["licences"]["items"] if x["overdue"]}
    assert overdue == {"010898101", "010898102", "010898103"}


async def test_only_linked_profiles_and_staff_see_it(reports: Harness) -> None:
    await seed(reports)
    url = "/api/reports/accounts/100000001/status-report"
    assert (await reports.http.get(url)).status_code == 401
    stranger = await reports.http.get(url, headers=reports.auth(reports.stranger))
    assert stranger.status_code == 404 and stranger.json()["code"] == "RP-ACCOUNT-NOT-FOUND"
    assert (await reports.http.get(url, headers=reports.auth(reports.officer))).status_code == 200
    await reports.publish(ie.AccountUnlinkedV1(profile_id="p-licensee",
                                               account_number="100000001"))
    gone = await reports.http.get(url, headers=reports.auth(reports.licensee))
    assert gone.status_code == 404
    unknown = await reports.http.get("/api/reports/accounts/999/status-report",
                                     headers=reports.auth(reports.officer))
    assert unknown.status_code == 404


async def test_status_report_csv_download(reports: Harness) -> None:
    await seed(reports)
    mine = await reports.http.get("/api/reports/accounts", headers=reports.auth(reports.licensee))
    assert [a["account_number"] for a in mine.json()["items"]] == ["100000001"]
    response = await reports.http.get("/api/reports/accounts/100000001/status-report.csv",
                                      headers=reports.auth(reports.licensee))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][0] == "Authorization number"
    assert ["010898101", "Granted", "Yes", "3", "2026-11-05", "2026-12-31"] in rows
    assert ["010898104", "Granted", "No", "0", "", ""] in rows


async def test_redelivered_and_stale_events_change_nothing(reports: Harness) -> None:
    await seed(reports)
    envelope = await reports.publish(processed("u3", datetime(2026, 11, 1, 12, tzinfo=UTC),
                                               {"010898101": 1}))
    await reports.deliver(envelope)
    body = (await reports.http.get("/api/reports/accounts/100000001/status-report",
                                   headers=reports.auth(reports.licensee))).json()
    line = next(x for x in body["licences"]["items"] if x["licence_number"] == "010898101")
    assert line["last_upload"] == "2026-11-05"  # the older upload does not win
