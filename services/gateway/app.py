"""One FastAPI application over any number of services (all five in embedded mode, one per
process on the real stack)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from services.gateway.web.apis import embedded_apis
from services.gateway.web.routes import GatewayPages, build_gateway_pages
from services.gateway.web.setup import mount_static, portal_for
from shared.runtime import Service
from shared.web.correlation import CorrelationMiddleware
from shared.web.docs import swagger_page
from shared.web.headers import BodyLimitMiddleware, SecurityHeadersMiddleware
from shared.web.problems import install_problem_handlers

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

DESCRIPTION = (
    "Spectrum Management System: web profiles and registration (identity), client accounts, "
    "licences and applications (licensing), the monthly site-data upload (sitedata), e-mail "
    "(notifications) and reports. Errors are RFC 9457 problem details with a stable `code`."
)


def create_app(services: Sequence[Service], lifespan: Lifespan | None = None,
               ready: Callable[[], bool] = lambda: True, *, home: bool | None = None,
               maildir: Path | None = None) -> FastAPI:
    """The APIs and pages of ``services``; the gateway's own pages (home, dashboards, the
    mailbox when ``maildir`` is given) when ``home`` (default: more than one service)."""
    app = FastAPI(title="Spectrum Management System", version="0.1.0",
                  description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None)
    install_problem_handlers(app)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(CorrelationMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: on every answer, errors too
    for service in services:
        for router in service.routers():
            app.include_router(router)
    portal = portal_for(services)
    app.state.portal = portal
    for service in services:
        for router in service.pages(portal):
            app.include_router(router)
    if home if home is not None else len(services) > 1:
        app.include_router(build_gateway_pages(portal, GatewayPages(embedded_apis(app), maildir)))
    mount_static(app)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return swagger_page("/openapi.json", f"{app.title} - API")

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        from shared.errors import DomainError

        if not ready():
            raise DomainError("NOT-READY", "Starting up.", status=503)
        return {"status": "ok"}

    return app


async def _noop(_: FastAPI) -> AsyncIterator[None]:
    yield
