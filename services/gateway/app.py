"""One FastAPI application over any number of services (all five in embedded mode, one per
process on the real stack)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from shared.runtime import Service
from shared.web.correlation import CorrelationMiddleware
from shared.web.problems import install_problem_handlers

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

DESCRIPTION = (
    "Spectrum Management System: web profiles and registration (identity), client accounts, "
    "licences and applications (licensing), the monthly site-data upload (sitedata), e-mail "
    "(notifications) and reports. Errors are RFC 9457 problem details with a stable `code`."
)


def create_app(services: Sequence[Service], lifespan: Lifespan | None = None,
               ready: Callable[[], bool] = lambda: True) -> FastAPI:
    app = FastAPI(title="Spectrum Management System", version="0.1.0",
                  description=DESCRIPTION, lifespan=lifespan)
    install_problem_handlers(app)
    app.add_middleware(CorrelationMiddleware)
    for service in services:
        for router in service.routers():
            app.include_router(router)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        from shared.errors import DomainError

        if not ready():
            raise DomainError("NOT-READY", "Starting up.", status=503)
        return {"status": "ok"}

    return app


async def _noop(_: FastAPI) -> AsyncIterator[None]:
    yield
