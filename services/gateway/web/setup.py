"""Builds the application's portal and serves the static files of the pages.

GC Design System assets are served from ``node_modules`` (installed by ``make install`` from
``package.json``, never committed): ``/static/gcds/`` is ``@gcds-core/components``'s
``dist/gcds``; ``/static/portal/`` holds the portal's own CSS and JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from shared.clock import Clock, SystemClock
from shared.config import ServiceSettings
from shared.runtime import Service
from shared.sessions import SessionRevocations
from shared.web.portal import Portal, PortalSettings

ROOT = Path(__file__).resolve().parents[3]
GATEWAY_WEB = Path(__file__).parent
PORTAL_STATIC = ROOT / "shared" / "web" / "portal" / "static"
NODE_MODULES = ROOT / "node_modules"
GCDS = NODE_MODULES / "@gcds-core" / "components" / "dist" / "gcds"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"


def portal_from(settings: ServiceSettings, clock: Clock, names: Iterable[str],
                revocations: SessionRevocations | None = None) -> Portal:
    """A portal over the named services' ``web/`` folders and the gateway's."""
    owners = {name: ROOT / "services" / name / "web" for name in names}
    owners["gateway"] = GATEWAY_WEB
    return Portal.for_folders(PortalSettings(
        secret=settings.token_secret, clock=clock, session_ttl_s=settings.token_ttl_s,
        secure_cookies=settings.public_base_url.startswith("https://"),
        development=settings.environment == "development", revocations=revocations), owners)


def portal_for(services: Sequence[Service]) -> Portal:
    """Pages check ended sessions against identity's own table when identity runs here (it
    knows first), else against the service's copy."""
    if not services:
        return portal_from(ServiceSettings(), SystemClock(), [])
    first = next((s for s in services if s.name == "identity"), services[0])
    return portal_from(first.settings, first.infra.clock, [s.name for s in services],
                       first.revocations)


def mount_static(app: FastAPI) -> None:
    """``/static/portal`` and ``/static/gcds`` (missing node_modules: pages render unstyled)."""
    app.mount("/static/portal", StaticFiles(directory=PORTAL_STATIC), name="portal-static")
    app.mount("/static/gcds", StaticFiles(directory=GCDS, check_dir=False), name="gcds")
