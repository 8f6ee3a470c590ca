"""Composition root of the sitedata service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import tables as t
from services.sitedata.api.routes import build_router
from services.sitedata.context import SitedataContext
from services.sitedata.handlers.apply import Applier
from services.sitedata.handlers.ends import UploadEnds
from services.sitedata.handlers.readmodel import HANDLERS as READ_MODEL
from services.sitedata.handlers.worker import CheckerSettings, UploadChecker
from services.sitedata.settings import SitedataSettings
from shared.events.envelope import Envelope, Payload
from shared.events.sitedata import UploadReceivedV1
from shared.messaging.consumer import EventDispatcher
from shared.messaging.uow import UnitOfWork
from shared.runtime import BackgroundJob, Infrastructure, Service
from shared.web.portal import Portal


class SitedataService(Service):
    name = "sitedata"
    service_dir = Path(__file__).parent
    metadata = t.metadata
    tables = t.tables

    def __init__(self, settings: SitedataSettings, infra: Infrastructure):
        super().__init__(settings, infra)
        self.applier = Applier(self.uows, infra.store, settings.apply_sweep_interval_s)
        self.checker = UploadChecker(self.uows, infra.store, self.applier.wake, CheckerSettings(
            parallel=settings.check_parallel, lease_s=settings.check_lease_s,
            max_attempts=settings.check_max_attempts,
            release_on_start=settings.check_release_on_start,
            child_over_bytes=settings.check_in_child_over_bytes))
        # what the API and the pages may use; they never see the service itself
        self.context = SitedataContext(uows=self.uows, principal=self.principal,
                                       store=infra.store, clock=infra.clock,
                                       ends=UploadEnds(self.uows))

    def stopping(self) -> None:
        self.context.ends.release()

    def routers(self) -> list[APIRouter]:
        return [build_router(self.context)]

    def pages(self, portal: Portal) -> list[APIRouter]:
        from services.sitedata.web.routes import build_pages

        return [build_pages(self.context, portal)]

    def dispatchers(self) -> list[EventDispatcher]:
        async def received(uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
            uow.after_commit(self.checker.wake)  # the upload waits in the database

        return [
            EventDispatcher("sitedata.pipeline", {UploadReceivedV1.TYPE: received}, self.uows),
            EventDispatcher("sitedata.readmodel", READ_MODEL, self.uows),
        ]

    def background(self) -> list[BackgroundJob]:
        return [self.checker, self.applier]

    async def pending_work(self) -> int:
        async with self.uows.reading() as db:
            return len(await repo.pending_uploads(db))


def build(settings: SitedataSettings, infra: Infrastructure) -> SitedataService:
    return SitedataService(settings, infra)
