"""The reminder job: site data due soon and overdue, licence expiry; each sent once.

Driven only by this service's read model (licences, filings, accounts, site contacts) and the
injected clock. A reminder row keyed by (licence, kind, due date) is written in the same
transaction as its deliveries, so a reminder is never sent twice, even by two jobs at once (the
second one's insert fails on the unique key and rolls back).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import insert, or_, select
from sqlalchemy.exc import IntegrityError

from services.notifications.adapters import tables as t
from services.notifications.adapters.render import Renderer
from services.notifications.domain import links
from services.notifications.domain import reminders as r
from services.notifications.domain.messages import Message, language_for
from services.notifications.handlers.deliveries import queue
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.runtime import BackgroundJob

log = structlog.get_logger()

CAUSE_TYPE = "notifications.reminder"


def _facts(row: Any) -> r.LicenceFacts:
    return r.LicenceFacts(row.licence_number, row.account_number, row.status, row.issued_on,
                          row.expires_on, row.site_data_required, row.site_data_from,
                          row.last_upload)


def _addresses(account: Any, site_email: str | None) -> list[str]:
    """Every contact on file for the account: its e-mail, each contact's e-mail and the
    site-data contact (the payment contact receives invoices only)."""
    contacts = [c.get("email") for c in (account.contacts or []) if isinstance(c, dict)]
    return r.recipients(account.email, *contacts, site_email)


def _template(kind: str) -> str:
    return "reminder_expiry" if kind.startswith("expiry_") else f"reminder_{kind}"


class ReminderJob(BackgroundJob):
    name = "notifications.reminders"

    def __init__(self, uows: UnitOfWorkFactory, renderer: Renderer, base_url: str, *,
                 interval_s: float, first_run_after_s: float):
        self._uows = uows
        self._renderer = renderer
        self._base = base_url.rstrip("/")
        self.interval_s = interval_s
        self._first_run_after_s = first_run_after_s

    async def run_forever(self, stop: asyncio.Event) -> None:
        # a (re)started process does not mail at once: the first pass comes a while later
        try:
            await asyncio.wait_for(stop.wait(), timeout=self._first_run_after_s)
            return
        except TimeoutError:
            pass
        await super().run_forever(stop)

    async def run_once(self) -> None:
        await self.send_due()

    async def send_due(self) -> int:
        """Record every reminder due today that was not sent before; returns how many."""
        async with self._uows() as uow:
            today = uow.clock.today()
            horizon = today + timedelta(days=r.EXPIRY_DAYS[-1] + 1)
            rows = list(await uow.session.execute(
                select(t.rm_licences, t.rm_filings.c.last_upload)
                .outerjoin(t.rm_filings,
                           t.rm_filings.c.licence_number == t.rm_licences.c.licence_number)
                .where(t.rm_licences.c.status == "Granted",
                       t.rm_licences.c.expires_on >= today,
                       or_(t.rm_licences.c.site_data_required.is_(True),
                           t.rm_licences.c.expires_on <= horizon))
                .order_by(t.rm_licences.c.licence_number)))
        count = 0
        for row in rows:
            for reminder in r.reminders_for(_facts(row), today):
                count += await self._send(reminder)
        return count

    async def _send(self, reminder: r.Reminder) -> int:
        try:
            async with self._uows() as uow:
                if not await self._record(uow, reminder):
                    return 0
                await uow.commit()
        except IntegrityError:
            return 0  # another job recorded it first
        log.info("reminder.sent", licence=reminder.licence_number, kind=reminder.kind,
                 due_on=reminder.due_on.isoformat())
        return 1

    async def _record(self, uow: UnitOfWork, reminder: r.Reminder) -> bool:
        done = (await uow.session.execute(select(t.reminders.c.id).where(
            t.reminders.c.licence_number == reminder.licence_number,
            t.reminders.c.kind == reminder.kind,
            t.reminders.c.due_on == reminder.due_on))).first()
        account = (await uow.session.execute(select(t.rm_accounts).where(
            t.rm_accounts.c.account_number == reminder.account_number))).first()
        if done is not None or account is None:
            return False  # sent before; or the account is not known yet (next pass)
        site_email = (await uow.session.execute(select(t.rm_site_contacts.c.email).where(
            t.rm_site_contacts.c.account_number == reminder.account_number))).scalar()
        addresses = _addresses(account, site_email)
        reminder_id = str(uow.ids.new())
        await uow.session.execute(insert(t.reminders).values(
            id=reminder_id, licence_number=reminder.licence_number, kind=reminder.kind,
            due_on=reminder.due_on, account_number=reminder.account_number,
            recipients=len(addresses), created_at=uow.clock.now()))
        link = (links.upload_form(self._base, reminder.account_number)
                if reminder.kind.startswith("sitedata")
                else links.account(self._base, reminder.account_number))
        context = {"licence_number": reminder.licence_number,
                   "account_number": reminder.account_number,
                   "due_on": reminder.due_on.isoformat(), "days_left": reminder.days_left,
                   "link": link}
        for address in addresses:
            message = Message(_template(reminder.kind), address, language_for(account.language),
                              context)
            await queue(uow, self._renderer, message, reminder_id, CAUSE_TYPE)
        return True
