"""Composition root of the licensing service."""

from __future__ import annotations

from pathlib import Path

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox
from services.licensing.handlers import demo
from services.licensing.settings import LicensingSettings
from shared.runtime import Infrastructure, Service
from shared.web.security import principal_dependency


class LicensingService(Service):
    name = "licensing"
    service_dir = Path(__file__).parent
    metadata = t.metadata
    tables = t.tables
    settings: LicensingSettings

    def __init__(self, settings: LicensingSettings, infra: Infrastructure):
        super().__init__(settings, infra)
        self.principal = principal_dependency(settings.token_secret, infra.clock)
        self.box = SecretBox(settings.secret_key)

    async def seed_demo(self) -> None:
        await demo.seed(self.uows, self.box)


def build(settings: LicensingSettings, infra: Infrastructure) -> LicensingService:
    return LicensingService(settings, infra)
