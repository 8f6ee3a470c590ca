"""Settings of the identity service (environment prefix ``SMS_IDENTITY_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_IDENTITY_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/identity.db"
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15
    max_secret_failures: int = 5
    secret_window_minutes: int = 60
    reset_link_minutes: int = 60
    invitation_days: int = 7
