"""Settings of the identity service (environment prefix ``SMS_IDENTITY_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_IDENTITY_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/identity.db"
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15
    max_secret_failures: int = 5  # wrong shared secrets per client, and per profile
    max_account_secret_failures: int = 50  # per account, from every client together
    secret_window_minutes: int = 60
    # rate limits kept in memory by each process (docs/security.md): hits per window
    sign_ins_per_client_minute: int = 30
    sign_ins_per_user_minute: int = 10
    resets_per_client_15_minutes: int = 5
    resets_per_target_hour: int = 3
    registrations_per_client_10_minutes: int = 30
    reset_link_minutes: int = 60
    invitation_days: int = 7
