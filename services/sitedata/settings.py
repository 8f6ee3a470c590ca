"""Settings of the sitedata service (environment prefix ``SMS_SITEDATA_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class SitedataSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_SITEDATA_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/sitedata.db"
    apply_sweep_interval_s: float = 2.0
    # the checker (handlers/worker.py): uploads checked at once by one consume process, the
    # lease a worker holds on each (taken over when it runs out: a crashed worker), attempts
    check_parallel: int = 3
    check_lease_s: float = 15.0
    check_max_attempts: int = 5
    check_release_on_start: bool = False  # only one worker (embedded): free leases at start
    # files larger than this are checked in a child process (0: never; the embedded system,
    # whose web shares the interpreter, sets it: see adapters/child_check.py)
    check_in_child_over_bytes: int = 0
