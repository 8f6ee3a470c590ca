"""The sender: mails due deliveries; retries with back-off; a dead letter after the last try."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import select, update

from services.notifications.adapters import tables as t
from services.notifications.adapters.smtp import SmtpSender, build_email
from shared.messaging.uow import UnitOfWorkFactory
from shared.runtime import BackgroundJob

log = structlog.get_logger()


class DeliverySender(BackgroundJob):
    name = "notifications.sender"

    def __init__(self, uows: UnitOfWorkFactory, smtp: SmtpSender, *, sender: str,
                 max_attempts: int, retry_base_s: float, interval_s: float):
        self._uows = uows
        self._smtp = smtp
        self._from = sender
        self._max_attempts = max_attempts
        self._retry_base_s = retry_base_s
        self.interval_s = interval_s

    async def run_once(self) -> None:
        async with self._uows() as uow:
            due = list(await uow.session.execute(
                select(t.deliveries).where(t.deliveries.c.status == "pending",
                                           t.deliveries.c.next_attempt_at <= uow.clock.now())
                .order_by(t.deliveries.c.created_at).limit(50)))
        for row in due:
            await self._deliver(row)

    async def _deliver(self, row: Any) -> None:
        email = build_email(sender=self._from, recipient=row.recipient, subject=row.subject,
                            text=row.text_body, html=row.html_body, delivery_id=row.id)
        attempts = row.attempts + 1
        try:
            await self._smtp.send(email)
        except Exception as exc:  # noqa: BLE001 - every SMTP or network fault is retried
            await self._failed(row.id, attempts, f"{type(exc).__name__}: {exc}"[:500])
            return
        async with self._uows() as uow:
            await uow.session.execute(update(t.deliveries).where(t.deliveries.c.id == row.id)
                                      .values(status="sent", attempts=attempts,
                                              sent_at=uow.clock.now(), last_error=None))
            await uow.commit()
        log.info("mail.sent", delivery_id=row.id, template=row.template, attempts=attempts)

    async def _failed(self, delivery_id: str, attempts: int, error: str) -> None:
        dead = attempts >= self._max_attempts
        async with self._uows() as uow:
            delay = timedelta(seconds=self._retry_base_s * 2 ** (attempts - 1))
            await uow.session.execute(update(t.deliveries).where(t.deliveries.c.id == delivery_id)
                                      .values(status="dead" if dead else "pending",
                                              attempts=attempts, last_error=error,
                                              next_attempt_at=uow.clock.now() + delay))
            await uow.commit()
        log.warning("mail.failed", delivery_id=delivery_id, attempts=attempts, dead=dead)
