"""Notifications on real servers: PostgreSQL, a tansu broker (Kafka protocol) and an aiosmtpd
sink receiving over SMTP. The service runs alone, in-process; the other services' events are
published on the bus as their relays would, duplicates included.

Its own tansu broker keeps the real topic names free of other tests' records.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from services.notifications.adapters import tables as t
from shared.clock import FixedClock
from shared.events import identity as ie
from shared.events import sitedata as se
from shared.messaging.factory import open_bus
from shared.testing.postgres import PostgresServer
from shared.testing.smtp import SmtpSink
from shared.testing.tansu import TansuServer
from tests.unit.notifications.harness import BASE_URL, Rig, account, eventually, licence, start_rig

pytestmark = pytest.mark.realstack

TANSU_CLIENT_OPTIONS: dict[str, Any] = {"session_timeout_ms": 6000,
                                        "heartbeat_interval_ms": 1000, "replication_factor": 1}
START = datetime(2026, 11, 5, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def tansu() -> Iterator[TansuServer]:
    with TansuServer() as server:
        yield server


@pytest.fixture(scope="module")
async def rig(tmp_path_factory: pytest.TempPathFactory, pg_server: PostgresServer,
              tansu: TansuServer, smtp_sink: SmtpSink) -> AsyncIterator[Rig]:
    url = pg_server.create_database(f"notifications_{uuid.uuid4().hex[:8]}")
    bus = open_bus(tansu.url, **TANSU_CLIENT_OPTIONS)
    await bus.start()
    started = await start_rig(tmp_path_factory.mktemp("notifications"), database_url=url,
                              bus=bus, smtp_port=smtp_sink.port, clock=FixedClock(START),
                              max_attempts=4)
    yield started
    await started.stop()
    await bus.stop()


async def mails_to(sink: SmtpSink, count: int) -> dict[str, Any]:
    mails = await sink.wait_for_async(count, timeout=60)
    return {m.rcpt_to[0]: m for m in mails}


async def test_one_mail_per_event_in_the_right_language_even_with_duplicates(
        rig: Rig, smtp_sink: SmtpSink) -> None:
    smtp_sink.clear()
    for n, language in enumerate(("en", "fr", "es")):
        reset = ie.PasswordResetRequestedV1(
            profile_id=f"p{n}", email=f"{language}@example.ca", language=language,
            reset_url=f"{BASE_URL}/reset/{n}", expires_at=START + timedelta(hours=1))
        envelope = await rig.publish(reset, reset.profile_id)
        await rig.republish(envelope, reset.TOPIC)
        await rig.republish(envelope, reset.TOPIC)
    by_to = await mails_to(smtp_sink, 3)
    assert by_to["en@example.ca"].subject == "Reset your Web Profile password"
    assert by_to["fr@example.ca"].subject == "Réinitialisez le mot de passe de votre profil Web"
    bilingual = by_to["es@example.ca"]
    assert " / " in bilingual.subject and "nouveau mot de passe" in (bilingual.text or "")
    assert "choose a new password" in (bilingual.text or "") and bilingual.html
    await eventually(lambda: rig.deliveries(template="password_reset"),
                     until=lambda rows: len(rows) == 3 and all(r.status == "sent" for r in rows))
    assert len(smtp_sink.messages) == 3


async def test_upload_result_goes_to_the_account_that_submitted(rig: Rig,
                                                                smtp_sink: SmtpSink) -> None:
    smtp_sink.clear()
    result = se.UploadProcessedV1(
        upload_id="u-real-1", profile_id="an-agent", account_number="300000001",
        status="Processed", mode="replace", filename="stations.csv", records=4, error_count=0,
        received_at=START, processed_at=START, licences={"010888001": 4})
    envelope = await rig.publish(result, result.upload_id)  # before its account is known
    await rig.publish(account("300000001", email="account@example.ca"), "300000001")
    await rig.republish(envelope, result.TOPIC)
    by_to = await mails_to(smtp_sink, 1)
    assert list(by_to) == ["account@example.ca"]
    assert f"{BASE_URL}/sitedata/uploads/u-real-1" in (by_to["account@example.ca"].text
                                                               or "")
    await eventually(lambda: rig.deliveries(cause_event_id=str(envelope.id)),
                     until=lambda rows: len(rows) == 1 and rows[0].status == "sent")
    assert len(smtp_sink.messages) == 1


async def test_a_failed_smtp_delivery_is_retried(rig: Rig, smtp_sink: SmtpSink) -> None:
    smtp_sink.clear()
    smtp_sink.fail_next(2)
    reset = ie.PasswordResetRequestedV1(profile_id="p-retry", email="retry@example.ca",
                                        reset_url=f"{BASE_URL}/reset/r",
                                        expires_at=START + timedelta(hours=1))
    envelope = await rig.publish(reset, reset.profile_id)
    clock = rig.clock
    assert isinstance(clock, FixedClock)

    async def delivery() -> list[Any]:
        rows = await rig.deliveries(cause_event_id=str(envelope.id))
        if rows and rows[0].status == "pending" and rows[0].attempts:
            clock.advance(seconds=1)  # past the back-off
        return rows

    rows = await eventually(delivery, timeout=60,
                            until=lambda rows: bool(rows) and rows[0].status == "sent")
    assert rows[0].attempts == 3
    assert [m.rcpt_to for m in await smtp_sink.wait_for_async(1)] == [["retry@example.ca"]]


async def test_reminders_fire_once_at_the_right_dates(rig: Rig) -> None:
    clock = rig.clock
    assert isinstance(clock, FixedClock)
    await rig.publish(account("300000002", email="owner@example.ca", contacts=[
        {"role": "technical", "email": "tech@example.ca"}]), "300000002")
    await rig.publish(licence("010888002", "300000002", issued_on=date(2026, 11, 1),
                              expires_on=date(2027, 3, 31)), "010888002")
    await eventually(lambda: rig.rows(t.rm_accounts), until=lambda rows: any(
        r.account_number == "300000002" for r in rows))
    await eventually(lambda: rig.rows(t.rm_licences),
                     until=lambda rows: any(r.licence_number == "010888002" for r in rows))
    expected = {date(2026, 12, 23): [], date(2026, 12, 24): ["sitedata_due"],
                date(2026, 12, 25): [], date(2026, 12, 31): ["expiry_90"],
                date(2027, 1, 1): ["sitedata_overdue"], date(2027, 1, 2): [],
                date(2027, 1, 30): ["expiry_60"]}
    for day, kinds in expected.items():
        clock.set(datetime(day.year, day.month, day.day, 8, tzinfo=UTC))
        for _ in range(2):  # a second pass the same day sends nothing more
            await rig.service.reminders.send_due()
        got = sorted(r.kind for r in await rig.rows(t.reminders)
                     if r.licence_number == "010888002" and r.created_at.date() == day)
        assert got == kinds, day
    mails = await rig.deliveries(cause_type="notifications.reminder")
    assert len([m for m in mails if "010888002" in m.subject]) == 2 * 4
