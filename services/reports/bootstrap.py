"""Composition root of the reports service."""

from __future__ import annotations

from pathlib import Path

import structlog
from fastapi import APIRouter
from sqlalchemy import event
from sqlalchemy.engine import make_url

from services.reports.adapters import dashboard_store
from services.reports.adapters import tables as t
from services.reports.adapters.child_load import ChildLoad, attach_staging, staging_path
from services.reports.api.analytics import build_analytics_router
from services.reports.api.operations import build_operations_router
from services.reports.api.public import build_public_router
from services.reports.api.routes import build_router
from services.reports.context import ReportsContext
from services.reports.domain.dashboard import DayFigures
from services.reports.handlers import queues, registry, uploads
from services.reports.handlers.stations import stations_handlers
from services.reports.settings import ReportsSettings
from shared.db.engine import is_sqlite
from shared.messaging.consumer import EventDispatcher
from shared.runtime import Infrastructure, Service, StreamApp
from shared.web.portal import Portal

log = structlog.get_logger()


class ReportsService(Service):
    name = "reports"
    service_dir = Path(__file__).parent
    metadata = t.metadata
    tables = t.tables
    settings: ReportsSettings

    def __init__(self, settings: ReportsSettings, infra: Infrastructure):
        super().__init__(settings, infra)
        # what the API and the pages may use; they never see the service itself
        self.context = ReportsContext(uows=self.uows, principal=self.principal,
                                      clock=infra.clock, settings=settings)
        self.child_load = self._child_load(settings)

    def _child_load(self, settings: ReportsSettings) -> ChildLoad | None:
        """Big station loads in a child process (SQLite only), its staging database attached
        to every connection."""
        if not settings.load_in_child_over_bytes or not is_sqlite(settings.database_url):
            return None
        staging = staging_path(make_url(settings.database_url).database or "reports.db")
        event.listen(self.engine.sync_engine, "connect", attach_staging(staging))
        return ChildLoad(staging, settings.load_in_child_over_bytes)

    def routers(self) -> list[APIRouter]:
        ctx = self.context
        return [build_router(ctx), build_operations_router(ctx), build_public_router(ctx),
                build_analytics_router(ctx)]

    def pages(self, portal: Portal) -> list[APIRouter]:
        from services.reports.web.routes import build_pages

        return [build_pages(self.context, portal)]

    def dispatchers(self) -> list[EventDispatcher]:
        # three groups: a slow station set (claim check) never holds back the dashboard
        return [EventDispatcher("reports.operations", {
            **uploads.upload_handlers(not self.settings.dashboard_stream), **queues.HANDLERS},
                                self.uows),
                EventDispatcher("reports.registry", registry.HANDLERS, self.uows),
                EventDispatcher("reports.stations", stations_handlers(self.infra.store,
                                                                     self.child_load),
                                self.uows)]


    def streams(self) -> list[StreamApp]:
        from services.reports.streaming import DashboardApp, retrying

        return [DashboardApp(self.settings.bus_url, sink=retrying(self._save_day, log))]

    async def _save_day(self, figures: DayFigures) -> None:
        async with self.uows() as uow:
            await dashboard_store.save_day(uow.session, figures)
            await uow.commit()


def build(settings: ReportsSettings, infra: Infrastructure) -> ReportsService:
    return ReportsService(settings, infra)
