"""Composition root of the notifications service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.notifications.adapters import tables as t
from services.notifications.adapters.render import Renderer
from services.notifications.adapters.smtp import SmtpSender
from services.notifications.api.routes import build_router
from services.notifications.context import NotificationsContext
from services.notifications.handlers.mail import MailHandlers
from services.notifications.handlers.readmodel import READ_MODEL
from services.notifications.handlers.reminders import ReminderJob
from services.notifications.handlers.sender import DeliverySender
from services.notifications.settings import NotificationsSettings
from shared.messaging.consumer import EventDispatcher
from shared.runtime import BackgroundJob, Infrastructure, Service
from shared.web.portal import Portal


class NotificationsService(Service):
    name = "notifications"
    service_dir = Path(__file__).parent
    metadata = t.metadata
    tables = t.tables
    settings: NotificationsSettings

    def __init__(self, settings: NotificationsSettings, infra: Infrastructure):
        super().__init__(settings, infra)
        self.renderer = Renderer()
        self.sender = DeliverySender(
            self.uows, SmtpSender(settings.smtp_host, settings.smtp_port, settings.smtp_timeout_s),
            sender=settings.mail_from, max_attempts=settings.max_attempts,
            retry_base_s=settings.retry_base_s, interval_s=settings.send_interval_s)
        self.reminders = ReminderJob(
            self.uows, self.renderer, settings.public_base_url,
            interval_s=settings.reminder_interval_s,
            first_run_after_s=settings.reminder_first_run_after_s)
        # what the API and the pages may use; they never see the service itself
        self.context = NotificationsContext(uows=self.uows, principal=self.principal)

    def routers(self) -> list[APIRouter]:
        return [build_router(self.context)]

    def pages(self, portal: Portal) -> list[APIRouter]:
        from services.notifications.web.routes import build_pages

        return [build_pages(self.context, portal)]

    def dispatchers(self) -> list[EventDispatcher]:
        mail = MailHandlers(self.renderer, self.settings.public_base_url).handlers()
        # read models have their own group: a mail waiting for its account never blocks them
        return [EventDispatcher("notifications.email", mail, self.uows),
                EventDispatcher("notifications.readmodel", READ_MODEL, self.uows)]

    def background(self) -> list[BackgroundJob]:
        return [self.sender, self.reminders]


def build(settings: NotificationsSettings, infra: Infrastructure) -> NotificationsService:
    return NotificationsService(settings, infra)
