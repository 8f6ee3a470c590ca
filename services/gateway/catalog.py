"""The five services: their settings and composition roots."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.identity import bootstrap as identity
from services.identity.settings import IdentitySettings
from services.licensing import bootstrap as licensing
from services.licensing.settings import LicensingSettings
from services.notifications import bootstrap as notifications
from services.notifications.settings import NotificationsSettings
from services.reports import bootstrap as reports
from services.reports.settings import ReportsSettings
from services.sitedata import bootstrap as sitedata
from services.sitedata.settings import SitedataSettings
from shared.config import ServiceSettings
from shared.runtime import Infrastructure, Service


@dataclass(frozen=True)
class Entry:
    name: str
    settings: type[ServiceSettings]
    build: Callable[[Any, Infrastructure], Service]
    # processes of the real stack beside api/consume/relay ("stream": faust apps), and the
    # settings that tell the service they run (the consumer then leaves their work to them)
    extra_roles: tuple[str, ...] = ()
    extra_env: tuple[tuple[str, str], ...] = ()


SERVICES: tuple[Entry, ...] = (
    Entry("licensing", LicensingSettings, licensing.build),
    Entry("identity", IdentitySettings, identity.build),
    Entry("sitedata", SitedataSettings, sitedata.build),
    Entry("notifications", NotificationsSettings, notifications.build),
    Entry("reports", ReportsSettings, reports.build, extra_roles=("stream",),
          extra_env=(("DASHBOARD_STREAM", "true"),)),
)


def entry(name: str) -> Entry:
    for item in SERVICES:
        if item.name == name:
            return item
    raise KeyError(f"no service named {name!r}; choose one of {[e.name for e in SERVICES]}")
