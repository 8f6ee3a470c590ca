"""Composition root of the reports service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.reports.adapters import tables as t
from services.reports.api.routes import build_router
from services.reports.handlers.uploads import HANDLERS
from services.reports.settings import ReportsSettings
from shared.messaging.consumer import EventDispatcher
from shared.runtime import Infrastructure, Service
from shared.web.security import principal_dependency


class ReportsService(Service):
    name = "reports"
    service_dir = Path(__file__).parent
    metadata = t.metadata
    tables = t.tables
    settings: ReportsSettings

    def __init__(self, settings: ReportsSettings, infra: Infrastructure):
        super().__init__(settings, infra)
        self.principal = principal_dependency(settings.token_secret, infra.clock)

    def routers(self) -> list[APIRouter]:
        return [build_router(self)]

    def dispatchers(self) -> list[EventDispatcher]:
        return [EventDispatcher("reports.operations", HANDLERS, self.uows)]


def build(settings: ReportsSettings, infra: Infrastructure) -> ReportsService:
    return ReportsService(settings, infra)
