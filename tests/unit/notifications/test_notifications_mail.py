"""Events become mail: once each (duplicates injected), to the right person, in the right
language; licences and invoices follow the preferred delivery method; the sender retries and
dead-letters. The notifications service alone, over SQLite and the in-memory bus, with a real
SMTP sink on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from structlog.testing import capture_logs

from services.notifications.adapters import tables as t
from shared.clock import FixedClock
from shared.events import identity as ie
from shared.events import licensing as le
from shared.events import sitedata as se
from shared.messaging.memory import MemoryBus
from shared.testing.smtp import ReceivedMessage, SmtpSink
from tests.unit.notifications.harness import BASE_URL, Rig, account, eventually, licence, start_rig

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
async def rig(tmp_path: Path, smtp_sink: SmtpSink) -> AsyncIterator[Rig]:
    smtp_sink.clear()
    bus = MemoryBus()
    await bus.start()
    started = await start_rig(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/n.db",
                              bus=bus, smtp_port=smtp_sink.port, clock=FixedClock(NOW),
                              max_attempts=2)
    yield started
    await started.stop()
    await bus.stop()
    smtp_sink.clear()


async def settled(rig: Rig, sink: SmtpSink, count: int) -> list[ReceivedMessage]:
    """Every event consumed, ``count`` mails received, and none pending."""
    assert isinstance(rig.bus, MemoryBus)
    bus = rig.bus
    await eventually(lambda: _ready(bus.lag() == 0))
    mails = await sink.wait_for_async(count, timeout=20)
    pending = await eventually(lambda: rig.deliveries(status="pending"),
                               until=lambda rows: not rows)
    assert pending == []
    return list(mails)


async def _ready(value: bool) -> bool:
    return value


def reset(n: int) -> ie.PasswordResetRequestedV1:
    return ie.PasswordResetRequestedV1(profile_id=f"p{n}", email=f"user{n}@example.ca",
                                       language="fr", reset_url=f"{BASE_URL}/reset/{n}",
                                       expires_at=NOW + timedelta(hours=1))


async def test_each_event_mails_once_even_when_delivered_twice(rig: Rig,
                                                              smtp_sink: SmtpSink) -> None:
    events = [
        (ie.RegistrationSubmittedV1(registration_id="r1", profile_id="p1", username="newbie",
                                    kind="new_licensee", email="new@example.ca",
                                    needs_approval=True), "r1"),
        (ie.RegistrationRejectedV1(registration_id="r2", profile_id="p2", email="no@example.ca",
                                   reason="Unsigned form", decided_by="o1"), "r2"),
        (ie.RegistrationInfoRequestedV1(registration_id="r3", profile_id="p3",
                                        email="q@example.ca", question="Send the ISED-ISDE3052",
                                        decided_by="o1"), "r3"),
        (reset(4), "p4"),
        (ie.SubUserInvitedV1(invitation_id="i5", account_number="200000001", invited_by="p1",
                             email="sub@example.ca", rights=["view", "upload"],
                             invite_url=f"{BASE_URL}/invite/i5",
                             expires_at=NOW + timedelta(days=7)), "p1"),
        (le.ApplicationSubmittedV1(application_id="a6", number="APP-6", family="radio",
                                   account_number="200000001", profile_id="p1",
                                   email="apps@example.ca", submitted_at=NOW,
                                   service_standard_days=30), "a6"),
        (le.ApplicationInfoRequestedV1(application_id="a7", number="APP-7", family="radio",
                                       account_number="200000001", profile_id="p1",
                                       email="apps@example.ca", question="Antenna height?"),
         "a7"),
        (le.ApplicationDecidedV1(application_id="a8", number="APP-8", family="spectrum",
                                 account_number="200000001", profile_id="p1",
                                 email="apps@example.ca", decision="approved", decided_at=NOW,
                                 licence_numbers=["010777008"]), "a8"),
        (le.ApplicationDecidedV1(application_id="a9", number="APP-9", family="spectrum",
                                 account_number="200000001", profile_id="p1",
                                 email="apps@example.ca", decision="denied",
                                 reasons="Band not available", decided_at=NOW), "a9"),
    ]
    # an existing holder's registration checks out at once: its approval mail follows instead
    await rig.publish(ie.RegistrationSubmittedV1(
        registration_id="r0", profile_id="p0", username="old", kind="existing_licensee",
        email="old@example.ca", needs_approval=False), "r0")
    for payload, subject in events:
        envelope = await rig.publish(payload, subject)
        await rig.republish(envelope, payload.TOPIC)  # a duplicate, as after a relay crash
    mails = await settled(rig, smtp_sink, len(events))
    assert len(smtp_sink.messages) == len(events)
    templates = sorted(row.template for row in await rig.deliveries(status="sent"))
    assert templates == sorted([
        "registration_received", "registration_rejected", "registration_info_requested",
        "password_reset", "subuser_invited", "application_submitted",
        "application_info_requested", "application_approved", "application_denied"])
    by_to = {m.rcpt_to[0]: m for m in mails}
    assert "Unsigned form" in (by_to["no@example.ca"].text or "")
    assert f"{BASE_URL}/reset/4" in (by_to["user4@example.ca"].text or "")
    assert by_to["user4@example.ca"].subject.startswith("Réinitialisez")  # French preference
    assert by_to["user4@example.ca"].html is not None


async def test_a_new_holder_is_told_the_account_number_once_it_exists(
        rig: Rig, smtp_sink: SmtpSink) -> None:
    approved = ie.RegistrationApprovedV1(
        registration_id="r10", profile_id="p10", kind="new_licensee", email="me@example.ca",
        new_account=ie.NewAccountDetails(legal_name="New Holder Ltd."))
    with capture_logs() as logs:
        await rig.publish(approved, "r10")
        await asyncio.sleep(0.3)  # the approval is retried: its account does not exist yet
    assert await rig.deliveries() == []
    # an expected wait, not a failure: logged as such, without a traceback
    waits = [e for e in logs if e["event"] == "bus.handler_waiting"]
    assert waits and all(e["log_level"] == "info" for e in waits), logs
    assert "r10" in waits[0]["reason"]
    assert not [e for e in logs if e["event"] == "bus.handler_failed" or "exc_info" in e]
    await rig.publish(account("200000010", email="me@example.ca", registration_id="r10"),
                      "200000010")
    [mail] = await settled(rig, smtp_sink, 1)
    assert "200000010" in (mail.text or "")
    assert mail.rcpt_to == ["me@example.ca"]


async def test_upload_result_goes_to_the_submitting_account_in_its_language(
        rig: Rig, smtp_sink: SmtpSink) -> None:
    await rig.publish(account("200000020", email="fr@example.ca", language="fr"), "200000020")
    result = se.UploadProcessedV1(
        upload_id="u20", profile_id="someone-else", account_number="200000020",
        status="Errors Found", mode="replace", filename="s.csv", records=0, error_count=3,
        received_at=NOW, processed_at=NOW)
    envelope = await rig.publish(result, "u20")
    await rig.republish(envelope, result.TOPIC)
    [mail] = await settled(rig, smtp_sink, 1)
    assert mail.rcpt_to == ["fr@example.ca"]
    assert mail.subject.startswith("Téléversement")
    assert f"{BASE_URL}/sitedata/uploads/u20/errors" in (mail.text or "")


async def test_invoice_by_email_goes_to_the_payment_contact_and_by_mail_to_staff(
        rig: Rig, smtp_sink: SmtpSink) -> None:
    common: dict[str, Any] = {
              "account_number": "200000030", "legal_name": "Holder", "amount": "99.00",
              "due_on": NOW.date() + timedelta(days=30), "kind": "renewal",
              "email": "holder@example.ca", "shared_secret": "SECRET-30",
              "licence_numbers": ["010777030"]}
    await rig.publish(le.InvoiceIssuedV1(invoice_number="I-1", delivery="E-mail",
                                         payment_email="pay@example.ca", **common), "200000030")
    await rig.publish(le.InvoiceIssuedV1(invoice_number="I-2", delivery="Mail", **common),
                      "200000030")
    [mail] = await settled(rig, smtp_sink, 1)
    assert mail.rcpt_to == ["pay@example.ca"]
    assert mail.subject == "ISED Electronic Invoice / Facture électronique ISDE"
    assert "200000030" in (mail.text or "") and "SECRET-30" in (mail.text or "")
    letters = await eventually(lambda: rig.rows(t.letters))
    assert [(x.kind, x.reference, x.status) for x in letters] == [("invoice", "I-2", "to_post")]
    assert "SECRET-30" in letters[0].html_body


async def test_licences_follow_the_accounts_preferred_delivery(rig: Rig,
                                                               smtp_sink: SmtpSink) -> None:
    await rig.publish(account("200000040", email="e@example.ca"), "200000040")
    await rig.publish(account("200000041", email="m@example.ca", licence_delivery="Mail"),
                      "200000041")
    issued = NOW.date() - timedelta(days=1)
    await rig.publish(licence("010777040", "200000040", issued_on=issued), "010777040")
    await rig.publish(licence("010777041", "200000041", issued_on=issued), "010777041")
    await rig.publish(licence("010777042", "200000040", issued_on=issued - timedelta(days=400)),
                      "010777042")  # a registry load: no document
    [mail] = await settled(rig, smtp_sink, 1)
    assert mail.rcpt_to == ["e@example.ca"]
    assert "010777040" in mail.subject
    letters = await eventually(lambda: rig.rows(t.letters))
    assert [(x.kind, x.reference) for x in letters] == [("licence", "010777041")]


async def test_smtp_failures_are_retried_then_dead_lettered(rig: Rig,
                                                            smtp_sink: SmtpSink) -> None:
    smtp_sink.fail_next(1)
    await rig.publish(reset(50), "p50")
    clock = rig.clock
    assert isinstance(clock, FixedClock)

    async def attempted(n: int) -> list[Any]:
        rows = await rig.deliveries()
        if rows and rows[-1].attempts < n:
            clock.advance(seconds=1)  # the back-off has passed
        return rows

    await eventually(lambda: attempted(2), until=lambda rows: bool(rows) and
                     rows[0].status == "sent")
    [sent] = await rig.deliveries()
    assert sent.attempts == 2 and len(smtp_sink.messages) == 1

    smtp_sink.fail_next(10)
    await rig.publish(reset(51), "p51")
    dead = await eventually(lambda: attempted(3), until=lambda rows: len(rows) == 2 and
                            rows[1].status == "dead")
    assert dead[1].attempts == 2 and "451" in dead[1].last_error
    async with rig.service.uows() as uow:
        outbox = [row.envelope for row in await uow.session.execute(select(t.tables.outbox))]
    assert sum("notifications.mail.delivered" in e for e in outbox) == 1
    assert sum("notifications.mail.failed" in e for e in outbox) == 1


async def test_a_refused_mail_does_not_hold_up_the_others_sent_with_it(
        rig: Rig, smtp_sink: SmtpSink) -> None:
    smtp_sink.fail_next(1)  # the first mail of the batch is refused (451), the rest go through
    for n in (60, 61, 62):
        await rig.publish(reset(n), f"p{n}")
    clock = rig.clock
    assert isinstance(clock, FixedClock)

    async def advanced() -> list[Any]:
        clock.advance(seconds=1)  # past the refused mail's back-off
        return await rig.deliveries()

    rows = await eventually(advanced, until=lambda rows: len(rows) == 3 and
                            all(r.status == "sent" for r in rows))
    assert sorted(r.attempts for r in rows) == [1, 1, 2]
    assert len(smtp_sink.messages) == 3
