"""Composition root of the identity service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.identity.adapters import tables as t
from services.identity.api.accounts import build_accounts_router
from services.identity.api.registration import build_registration_router
from services.identity.api.routes import build_router
from services.identity.api.staff import build_staff_router
from services.identity.context import IdentityContext
from services.identity.handlers import demo
from services.identity.handlers.crypto import SecretSealer
from services.identity.handlers.readmodel import READ_MODEL, REGISTRATIONS
from services.identity.limits import IdentityLimits
from services.identity.settings import IdentitySettings
from shared.messaging.consumer import EventDispatcher
from shared.runtime import Infrastructure, Service
from shared.web.portal import Portal
from shared.web.security import maybe_principal_dependency


class IdentityService(Service):
    name = "identity"
    service_dir = Path(__file__).parent
    metadata = t.metadata
    tables = t.tables
    settings: IdentitySettings
    follows_sessions = False  # it ends them, in its own table

    def __init__(self, settings: IdentitySettings, infra: Infrastructure):
        super().__init__(settings, infra)
        # what the API and the pages may use; they never see the service itself
        self.context = IdentityContext(
            uows=self.uows, principal=self.principal,
            maybe_principal=maybe_principal_dependency(self.principal), settings=settings,
            clock=infra.clock, store=infra.store, sealer=SecretSealer(settings.token_secret),
            limits=IdentityLimits(settings), revocations=self.revocations)

    def routers(self) -> list[APIRouter]:
        ctx = self.context
        return [build_router(ctx), build_registration_router(ctx), build_staff_router(ctx),
                build_accounts_router(ctx)]

    def pages(self, portal: Portal) -> list[APIRouter]:
        from services.identity.web.admin import build_admin_pages
        from services.identity.web.manage import build_manage_pages
        from services.identity.web.routes import build_pages
        from services.identity.web.signin import build_signin_pages
        from services.identity.web.totp_pages import build_totp_pages

        ctx = self.context
        return [build_signin_pages(ctx, portal), build_pages(ctx, portal),
                build_manage_pages(ctx, portal), build_totp_pages(ctx, portal),
                build_admin_pages(ctx, portal)]

    def dispatchers(self) -> list[EventDispatcher]:
        # the read model has its own group: linking approved registrations never blocks it
        return [EventDispatcher("identity.readmodel", READ_MODEL, self.uows),
                EventDispatcher("identity.registrations", REGISTRATIONS, self.uows)]

    async def seed_demo(self) -> None:
        await demo.seed(self.uows)


def build(settings: IdentitySettings, infra: Infrastructure) -> IdentityService:
    return IdentityService(settings, infra)
