"""Settings of the licensing service (environment prefix ``SMS_LICENSING_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings

DEV_SECRET_KEY = "ZGV2ZWxvcG1lbnQtb25seS1zZWNyZXQta2V5LTAwMDA="

# calendar days from "all information in" to decision; transfers: 12 weeks (CPC-2-1-23 5.6.4.5)
SERVICE_STANDARDS = {"radio": 40, "spectrum": 60, "transfer": 84, "subordinate": 84,
                     "broadcasting": 60}


class LicensingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_LICENSING_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/licensing.db"
    secret_key: str = DEV_SECRET_KEY  # Fernet key that encrypts shared secrets at rest
    service_standard_days: dict[str, int] = SERVICE_STANDARDS
    fee_schedule_file: str = ""  # empty: the schedule shipped in services/licensing/data
    spectrum_term_years: int = 10
    renewal_term_years: int = 10
    document_max_bytes: int = 25 * 1024 * 1024  # one document of an application
    conditions_file: str = ""  # empty: the condition templates shipped in services/licensing/data
    # renewal happens within this many days before expiry (and a lapsed licence may still be
    # renewed as many days after it); the annual renewal run opens as long before 1 April
    renewal_window_days: int = 180
    # licences of these kinds end on 31 March and renew for a year when their renewal
    # invoice is paid (RSP-101 section 4)
    renew_by_invoice: tuple[str, ...] = ("radio",)
