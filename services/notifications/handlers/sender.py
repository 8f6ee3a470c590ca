"""The sender: mails due deliveries; retries with back-off; a dead letter after the last try.

Several consume processes may run a sender: each claims its batch of due deliveries (one
conditional update that moves their next attempt a lease ahead) before sending, so two never
send the same one; a batch goes over one SMTP connection. The
outcome is recorded with ``notifications.mail.delivered`` or, after the last try,
``notifications.mail.failed`` in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import and_, or_, select, update

from services.notifications.adapters import tables as t
from services.notifications.adapters.smtp import SmtpSender, SmtpSession, build_email
from shared.events.notifications import MailDeliveredV1, MailFailedV1
from shared.messaging.uow import UnitOfWorkFactory
from shared.runtime import BackgroundJob

log = structlog.get_logger()


class DeliverySender(BackgroundJob):
    name = "notifications.sender"

    def __init__(self, uows: UnitOfWorkFactory, smtp: SmtpSender, *, sender: str,
                 max_attempts: int, retry_base_s: float, interval_s: float,
                 lease_s: float = 120.0):
        self._uows = uows
        self._smtp = smtp
        self._from = sender
        self._max_attempts = max_attempts
        self._retry_base_s = retry_base_s
        self._lease = timedelta(seconds=lease_s)
        self.interval_s = interval_s

    async def run_once(self) -> None:
        await self.send_due()

    async def send_due(self) -> int:
        """Send what is due now; returns how many were sent."""
        async with self._uows() as uow:
            due = list(await uow.session.execute(
                select(t.deliveries).where(t.deliveries.c.status == "pending",
                                           t.deliveries.c.next_attempt_at <= uow.clock.now())
                .order_by(t.deliveries.c.created_at).limit(50)))
        claimed = await self._claim(due)
        if not claimed:
            return 0
        sent = 0
        async with self._smtp.session() as smtp:
            for row in due:
                if row.id in claimed:
                    sent += await self._deliver(smtp, row)
        return sent

    async def _claim(self, rows: list[Any]) -> set[str]:
        """The ids of ``rows`` this sender now holds: each still pending and untouched since it
        was read (its next attempt unchanged), moved a lease ahead, in one statement."""
        if not rows:
            return set()
        c = t.deliveries.c
        async with self._uows() as uow:
            untouched = or_(*(and_(c.id == row.id, c.next_attempt_at == row.next_attempt_at)
                              for row in rows))
            result = await uow.session.execute(
                update(t.deliveries).where(c.status == "pending", untouched)
                .values(next_attempt_at=uow.clock.now() + self._lease).returning(c.id))
            claimed = {str(r.id) for r in result}
            await uow.commit()
        return claimed

    async def _deliver(self, smtp: SmtpSession, row: Any) -> int:
        email = build_email(sender=self._from, recipient=row.recipient, subject=row.subject,
                            text=row.text_body, html=row.html_body, delivery_id=row.id)
        attempts = row.attempts + 1
        try:
            await smtp.send(email)
        except Exception as exc:  # noqa: BLE001 - every SMTP or network fault is retried
            await self._failed(row, attempts, f"{type(exc).__name__}: {exc}"[:500])
            return 0
        async with self._uows() as uow:
            await uow.session.execute(update(t.deliveries).where(t.deliveries.c.id == row.id)
                                      .values(status="sent", attempts=attempts,
                                              sent_at=uow.clock.now(), last_error=None))
            await uow.emit(MailDeliveredV1(
                delivery_id=row.id, template=row.template, recipient=row.recipient,
                cause_event_id=row.cause_event_id, attempts=attempts), subject=row.id)
            await uow.commit()
        log.info("mail.sent", delivery_id=row.id, template=row.template, attempts=attempts)
        return 1

    async def _failed(self, row: Any, attempts: int, error: str) -> None:
        dead = attempts >= self._max_attempts
        async with self._uows() as uow:
            delay = timedelta(seconds=self._retry_base_s * 2 ** (attempts - 1))
            await uow.session.execute(update(t.deliveries).where(t.deliveries.c.id == row.id)
                                      .values(status="dead" if dead else "pending",
                                              attempts=attempts, last_error=error,
                                              next_attempt_at=uow.clock.now() + delay))
            if dead:
                await uow.emit(MailFailedV1(
                    delivery_id=row.id, template=row.template, recipient=row.recipient,
                    cause_event_id=row.cause_event_id, attempts=attempts, error=error),
                    subject=row.id)
            await uow.commit()
        log.warning("mail.failed", delivery_id=row.id, attempts=attempts, dead=dead)
