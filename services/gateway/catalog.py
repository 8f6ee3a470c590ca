"""The five services: their settings and composition roots, imported only when asked for.

A process of the real stack runs one service: it imports that service alone (about 60 MB of
memory less per process than importing all five).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from shared.config import ServiceSettings
from shared.runtime import Infrastructure, Service


@dataclass(frozen=True)
class Entry:
    name: str
    settings_class: str
    # processes of the real stack beside api/consume/relay ("stream": faust apps), and the
    # settings that tell the service they run (the consumer then leaves their work to them)
    extra_roles: tuple[str, ...] = ()
    extra_env: tuple[tuple[str, str], ...] = ()

    @property
    def settings(self) -> type[ServiceSettings]:
        module = importlib.import_module(f"services.{self.name}.settings")
        found: type[ServiceSettings] = getattr(module, self.settings_class)
        return found

    def build(self, settings: Any, infra: Infrastructure) -> Service:
        module = importlib.import_module(f"services.{self.name}.bootstrap")
        built: Service = module.build(settings, infra)
        return built


SERVICES: tuple[Entry, ...] = (
    Entry("licensing", "LicensingSettings"),
    Entry("identity", "IdentitySettings"),
    Entry("sitedata", "SitedataSettings"),
    Entry("notifications", "NotificationsSettings"),
    Entry("reports", "ReportsSettings", extra_roles=("stream",),
          extra_env=(("DASHBOARD_STREAM", "true"),)),
)


def entry(name: str) -> Entry:
    for item in SERVICES:
        if item.name == name:
            return item
    raise KeyError(f"no service named {name!r}; choose one of {[e.name for e in SERVICES]}")
