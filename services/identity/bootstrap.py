"""Composition root of the identity service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from services.identity.adapters import tables as t
from services.identity.api.routes import build_router
from services.identity.handlers import demo
from services.identity.settings import IdentitySettings
from shared.runtime import Infrastructure, Service
from shared.web.security import principal_dependency


class IdentityService(Service):
    name = "identity"
    service_dir = Path(__file__).parent
    metadata = t.metadata
    tables = t.tables
    settings: IdentitySettings

    def __init__(self, settings: IdentitySettings, infra: Infrastructure):
        super().__init__(settings, infra)
        self.principal = principal_dependency(settings.token_secret, infra.clock)

    def routers(self) -> list[APIRouter]:
        return [build_router(self)]

    async def seed_demo(self) -> None:
        await demo.seed(self.uows)


def build(settings: IdentitySettings, infra: Infrastructure) -> IdentityService:
    return IdentityService(settings, infra)
