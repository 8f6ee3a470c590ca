"""Settings of the notifications service (environment prefix ``SMS_NOTIFICATIONS_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_NOTIFICATIONS_", extra="ignore",
                                      frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/notifications.db"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_timeout_s: float = Field(default=10.0, gt=0)
    mail_from: str = "Spectrum Management System <no-reply@sms.example.ca>"
    max_attempts: int = Field(default=5, ge=1)
    retry_base_s: float = Field(default=2.0, ge=0)
    send_interval_s: float = Field(default=1.0, gt=0)
    # reminders: one pass an hour; the first pass a while after start, so a restart (or a
    # test system) never mails at once
    reminder_interval_s: float = Field(default=3600.0, gt=0)
    reminder_first_run_after_s: float = Field(default=600.0, ge=0)
