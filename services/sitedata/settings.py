"""Settings of the sitedata service (environment prefix ``SMS_SITEDATA_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class SitedataSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_SITEDATA_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/sitedata.db"
    apply_sweep_interval_s: float = 2.0
