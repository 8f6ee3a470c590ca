"""Settings of the reports service (environment prefix ``SMS_REPORTS_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class ReportsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_REPORTS_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///var/reports.db"
    # registrations carry no service standard of their own: officers answer within this many days
    registration_standard_days: int = Field(default=10, ge=1)
    # the dashboard's default window
    dashboard_days: int = Field(default=30, ge=1, le=366)
    # true where the faust worker (``spectrum service reports stream``) keeps the dashboard's
    # running aggregates: the consumer then leaves them to it (make stack, compose, k8s)
    dashboard_stream: bool = False
    # the most rows one CSV/Parquet download or map holds
    export_max_rows: int = Field(default=200_000, ge=1)
    map_max_points: int = Field(default=5_000, ge=1)
    # SQLite only: an upload's public rows bigger than this (gzipped bytes) are parsed and
    # written by a child process, so the pages sharing this process keep the GIL (0: never;
    # the embedded system sets it)
    load_in_child_over_bytes: int = Field(default=0, ge=0)
