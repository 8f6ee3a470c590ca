"""Settings shared by every service. Each service subclasses ``ServiceSettings``.

Settings are read from the environment once, in a service's ``main``, and then passed in as an
object; nothing else in the code base reads the environment.
"""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "development-only-token-secret-change-me-0123456789"


class ServiceSettings(BaseSettings):
    """What every service process needs: where its database, the bus and the store are."""

    model_config = SettingsConfigDict(env_prefix="SMS_", extra="ignore", frozen=True)

    environment: str = "development"
    database_url: str = "sqlite+aiosqlite:///var/service.db"
    bus_url: str = "memory://"
    storage_url: str = "var/objects"
    public_base_url: str = "http://127.0.0.1:8000"
    token_secret: str = DEV_SECRET
    token_ttl_s: int = 3600
    log_json: bool = False
    kafka_idempotence: bool = False
    kafka_replication_factor: int = 1
    kafka_session_timeout_ms: int = 10_000
    kafka_heartbeat_interval_ms: int = 3_000
    relay_interval_s: float = Field(default=0.2, gt=0)

    @field_validator("token_secret")
    @classmethod
    def _refuse_short_secret(cls, value: str) -> str:
        if len(value) < 32:
            raise ValueError("token_secret must be at least 32 characters")
        return value

    def check_production(self) -> None:
        """Refuse to run in production with the development placeholder secret."""
        if self.environment == "production" and self.token_secret == DEV_SECRET:
            raise ValueError("set the token secret: the development one is refused in production")
