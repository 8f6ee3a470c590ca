"""Settings shared by every service. Each service subclasses ``ServiceSettings``.

Settings are read from the environment once, in a service's ``main``, and then passed in as an
object; nothing else in the code base reads the environment.
"""

from __future__ import annotations

import structlog
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "development-only-token-secret-change-me-0123456789"
# secrets printed in this repository or its documentation: never good enough for a server
KNOWN_SECRETS = frozenset({DEV_SECRET, "set a secret of 32+ characters"})
log = structlog.get_logger()


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
    # addresses (or CIDRs) of the proxies in front of an api whose X-Forwarded-For is believed:
    # the client address is then the first untrusted one from the right (rate limits count it)
    forwarded_allow_ips: str = "127.0.0.1"
    log_json: bool = False
    kafka_idempotence: bool = False
    kafka_replication_factor: int = 1
    kafka_session_timeout_ms: int = 10_000
    kafka_heartbeat_interval_ms: int = 3_000
    relay_interval_s: float = Field(default=0.2, gt=0)

    @field_validator("token_secret")
    @classmethod
    def _refuse_short_secret(cls, value: str) -> str:
        if len(value.strip()) < 32:
            raise ValueError("token_secret must be at least 32 characters")
        return value

    def check_token_secret(self) -> None:
        """Refuse to run with an empty, known or trivial token secret: only the embedded demo
        (``spectrum run``, which never calls this) may use the development one."""
        problem = secret_problem(self.token_secret)
        if problem:
            log.error("settings.token_secret_refused", reason=problem)
            raise SystemExit(f"refusing to start: the token secret {problem}; set "
                             "SMS_<SERVICE>_TOKEN_SECRET to 32+ random characters (e.g. "
                             "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` may not sign tokens outside the embedded demo, or None."""
    if not secret.strip():
        return "is empty"
    if secret in KNOWN_SECRETS or "change-me" in secret.lower() or "changeme" in secret.lower():
        return "is a published placeholder"
    if len(set(secret)) < 10:
        return "has too few different characters"
    return None
