"""Composition root of the notifications service."""

from __future__ import annotations

from pathlib import Path

from services.notifications.adapters import tables as t
from services.notifications.adapters.render import Renderer
from services.notifications.adapters.smtp import SmtpSender
from services.notifications.handlers.deliveries import READ_MODEL, mail_handlers
from services.notifications.handlers.sender import DeliverySender
from services.notifications.settings import NotificationsSettings
from shared.messaging.consumer import EventDispatcher
from shared.runtime import BackgroundJob, Infrastructure, Service


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

    def dispatchers(self) -> list[EventDispatcher]:
        mail = mail_handlers(self.renderer, self.settings.public_base_url)
        # read models have their own group: a mail waiting for its account never blocks them
        return [EventDispatcher("notifications.email", mail, self.uows),
                EventDispatcher("notifications.readmodel", READ_MODEL, self.uows)]

    def background(self) -> list[BackgroundJob]:
        return [self.sender]


def build(settings: NotificationsSettings, infra: Infrastructure) -> NotificationsService:
    return NotificationsService(settings, infra)
