"""Settings of the licensing service (environment prefix ``SMS_LICENSING_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings

DEV_SECRET_KEY = "ZGV2ZWxvcG1lbnQtb25seS1zZWNyZXQta2V5LTAwMDA="


class LicensingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_LICENSING_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/licensing.db"
    secret_key: str = DEV_SECRET_KEY  # Fernet key that encrypts shared secrets at rest
