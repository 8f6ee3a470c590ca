"""Settings of the reports service (environment prefix ``SMS_REPORTS_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class ReportsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_REPORTS_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/reports.db"
