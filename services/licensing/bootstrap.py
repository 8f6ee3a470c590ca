"""Composition root of the licensing service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox
from services.licensing.api import advice as advice_api
from services.licensing.api import applications as applications_api
from services.licensing.api import broadcasting as broadcasting_api
from services.licensing.api import documents as documents_api
from services.licensing.api import payments as payments_api
from services.licensing.api import registry as registry_api
from services.licensing.api import transfers as transfers_api
from services.licensing.context import LicensingContext
from services.licensing.domain.fees import FeeSchedule
from services.licensing.handlers import demo
from services.licensing.handlers.families import all_families
from services.licensing.handlers.invoices import Billing
from services.licensing.handlers.operations import ExpireLicences
from services.licensing.handlers.readmodel import READ_MODEL, OnRegistrationApproved
from services.licensing.settings import LicensingSettings
from shared.events.identity import RegistrationApprovedV1
from shared.messaging.consumer import EventDispatcher
from shared.runtime import BackgroundJob, Infrastructure, Service
from shared.web.portal import Portal


class LicensingService(Service):
    name = "licensing"
    service_dir = Path(__file__).parent
    metadata = t.metadata
    tables = t.tables
    settings: LicensingSettings

    def __init__(self, settings: LicensingSettings, infra: Infrastructure):
        super().__init__(settings, infra)
        self.box = SecretBox(settings.secret_key)
        # what the API and the pages may use; they never see the service itself
        self.context = LicensingContext(
            uows=self.uows, principal=self.principal, settings=settings, clock=infra.clock,
            store=infra.store, families=all_families(),
            billing=Billing(FeeSchedule.load(settings.fee_schedule_file), self.box), box=self.box)

    def routers(self) -> list[APIRouter]:
        return [api.build_router(self.context) for api in (
            applications_api, registry_api, broadcasting_api, payments_api, documents_api,
            transfers_api, advice_api)]

    def pages(self, portal: Portal) -> list[APIRouter]:
        from services.licensing.web.broadcasting import build_pages as broadcasting_pages
        from services.licensing.web.routes import build_pages

        return [broadcasting_pages(self.context, portal), build_pages(self.context, portal)]

    def background(self) -> list[BackgroundJob]:
        return [ExpireLicences(self.uows)]

    def dispatchers(self) -> list[EventDispatcher]:
        # the links read model has its own group: nothing waiting on it can block it
        return [EventDispatcher("licensing.readmodel", READ_MODEL, self.uows),
                EventDispatcher("licensing.accounts", {
                    RegistrationApprovedV1.TYPE: OnRegistrationApproved(self.box)}, self.uows)]

    async def seed_demo(self) -> None:
        await demo.seed(self.uows, self.box)


def build(settings: LicensingSettings, infra: Infrastructure) -> LicensingService:
    return LicensingService(settings, infra)
