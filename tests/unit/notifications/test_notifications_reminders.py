"""Reminders fire once, at the right dates, to every contact on file, from the read model
alone; the clock is the test's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from services.notifications.adapters import tables as t
from shared.clock import FixedClock
from shared.events import licensing as le
from shared.events import sitedata as se
from shared.messaging.memory import MemoryBus
from shared.testing.smtp import SmtpSink
from tests.unit.notifications.harness import Rig, account, eventually, licence, start_rig


@pytest.fixture
async def rig(tmp_path: Path, smtp_sink: SmtpSink) -> AsyncIterator[Rig]:
    smtp_sink.clear()
    bus = MemoryBus()
    await bus.start()
    started = await start_rig(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/n.db",
                              bus=bus, smtp_port=smtp_sink.port,
                              clock=FixedClock(datetime(2026, 11, 5, 12, tzinfo=UTC)),
                              jobs=False)
    yield started
    await started.stop()
    await bus.stop()


def on(rig: Rig, day: date) -> None:
    assert isinstance(rig.clock, FixedClock)
    rig.clock.set(datetime(day.year, day.month, day.day, 9, tzinfo=UTC))


async def fed(rig: Rig) -> None:
    """Account with two contacts and a site-data contact; a licence with the obligation that
    last filed on 2026-11-05; one without it that expires on 2027-03-31."""
    await rig.publish(account("200000001", email="holder@example.ca", language="fr", contacts=[
        {"role": "technical", "email": "tech@example.ca"},
        {"role": "administrative", "email": "HOLDER@example.ca"}]), "200000001")
    await rig.publish(se.SiteContactChangedV1(account_number="200000001", contact_name="Site",
                                              business_phone="613", email="site@example.ca",
                                              upload_id="u1"), "200000001")
    await rig.publish(licence("010777001"), "010777001")
    await rig.publish(licence("010777002", site_data=False, expires_on=date(2027, 3, 31)),
                      "010777002")
    await rig.publish(licence("010777003", site_data=True, status="Suspended"), "010777003")
    await rig.publish(se.UploadProcessedV1(
        upload_id="u1", profile_id="p", account_number="200000001", status="Processed",
        mode="replace", filename="s.csv", records=3, error_count=0,
        received_at=datetime(2026, 11, 5, 10, tzinfo=UTC),
        processed_at=datetime(2026, 11, 5, 10, tzinfo=UTC),
        licences={"010777001": 3}), "u1")
    await eventually(lambda: rig.rows(t.rm_filings))
    await eventually(lambda: rig.rows(t.rm_accounts))
    await eventually(lambda: rig.rows(t.rm_site_contacts))
    await eventually(lambda: rig.rows(t.rm_licences), until=lambda rows: len(rows) == 3)


async def sent_on(rig: Rig, day: date) -> list[tuple[str, str]]:
    on(rig, day)
    before = {row.id for row in await rig.deliveries()}
    await rig.service.reminders.send_due()
    return sorted((row.template, row.recipient) for row in await rig.deliveries()
                  if row.id not in before)


EVERYONE = ["holder@example.ca", "site@example.ca", "tech@example.ca"]


async def test_reminders_fire_once_at_the_right_dates(rig: Rig) -> None:
    await fed(rig)
    assert await sent_on(rig, date(2026, 12, 23)) == []
    assert await sent_on(rig, date(2026, 12, 24)) == [("reminder_sitedata_due", a)
                                                      for a in EVERYONE]
    assert await sent_on(rig, date(2026, 12, 24)) == []  # once
    # 90 days before 2027-03-31; the site data is still due (not overdue) on its due date
    assert await sent_on(rig, date(2026, 12, 31)) == [("reminder_expiry", a) for a in EVERYONE]
    assert await sent_on(rig, date(2027, 1, 1)) == [("reminder_sitedata_overdue", a)
                                                    for a in EVERYONE]
    assert await sent_on(rig, date(2027, 1, 2)) == []
    assert await sent_on(rig, date(2027, 1, 30)) == [("reminder_expiry", a) for a in EVERYONE]
    reminders = sorted((r.licence_number, r.kind, r.due_on) for r in await rig.rows(t.reminders))
    assert reminders == [
        ("010777001", "sitedata_due", date(2026, 12, 31)),
        ("010777001", "sitedata_overdue", date(2026, 12, 31)),
        ("010777002", "expiry_60", date(2027, 3, 31)),
        ("010777002", "expiry_90", date(2027, 3, 31))]
    french = (await rig.deliveries(template="reminder_sitedata_due"))[0]
    assert french.language == "fr" and "010777001" in french.subject


async def test_a_new_upload_moves_the_due_date_and_a_status_change_stops_reminders(
        rig: Rig) -> None:
    await fed(rig)
    await rig.publish(se.UploadProcessedV1(
        upload_id="u2", profile_id="p", account_number="200000001", status="Processed",
        mode="append", filename="s.csv", records=1, error_count=0,
        received_at=datetime(2026, 12, 20, 10, tzinfo=UTC),
        processed_at=datetime(2026, 12, 20, 10, tzinfo=UTC),
        licences={"010777001": 1}), "u2")
    await eventually(lambda: rig.rows(t.rm_filings),
                     until=lambda rows: rows[0].last_upload == date(2026, 12, 20))
    assert await sent_on(rig, date(2026, 12, 24)) == []  # now due 2027-01-31
    await rig.publish(le.LicenceStatusChangedV1(licence_number="010777001",
                                                account_number="200000001",
                                                status="Suspended"), "010777001")
    await eventually(lambda: rig.rows(t.rm_licences), until=lambda rows: any(
        r.licence_number == "010777001" and r.status == "Suspended" for r in rows))
    assert [x for x in await sent_on(rig, date(2027, 1, 25)) if "sitedata" in x[0]] == []
