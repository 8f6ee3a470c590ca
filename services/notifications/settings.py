"""Settings of the notifications service (environment prefix ``SMS_NOTIFICATIONS_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_NOTIFICATIONS_", extra="ignore",
                                      frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/notifications.db"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_timeout_s: float = 10.0
    mail_from: str = "Spectrum Management System <no-reply@sms.example.ca>"
    max_attempts: int = 5
    retry_base_s: float = 2.0
    send_interval_s: float = 1.0
