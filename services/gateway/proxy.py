"""The real-stack gateway: one address in front of the five service APIs.

Requests stream through both ways (an upload is never buffered here). In production this is
nginx (deploy/); this process plays its part for ``make stack`` and the real-stack tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.openapi import combined_openapi
from shared.web.problems import problem

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "host", "content-length"}


def _headers(items: Any) -> dict[str, str]:
    return {k: v for k, v in items if k.lower() not in HOP_BY_HOP}


def build_proxy(upstreams: Mapping[str, str]) -> FastAPI:
    """``upstreams`` maps a service name to its API base URL (``/api/<name>/...`` goes there)."""
    client = httpx.AsyncClient(timeout=httpx.Timeout(120.0, connect=5.0))
    spec = combined_openapi()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await client.aclose()

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(spec)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="SMS API")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        for name, base in upstreams.items():
            try:
                response = await client.get(f"{base}/healthz", timeout=2.0)
            except httpx.HTTPError:
                return problem(503, "NOT-READY", f"{name} is not reachable", f"{name} is down")
            if response.status_code != 200:
                return problem(503, "NOT-READY", f"{name} is not ready", f"{name} is starting")
        return JSONResponse({"status": "ok"})

    @app.api_route("/api/{service}/{path:path}",
                   methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def forward(service: str, path: str, request: Request) -> Any:
        base = upstreams.get(service)
        if base is None:
            return problem(404, "NOT-FOUND", "Not Found", f"No service named {service}.")
        upstream = client.build_request(
            request.method, f"{base}/api/{service}/{path}", params=request.query_params,
            headers=_headers(request.headers.items()), content=request.stream())
        try:
            response = await client.send(upstream, stream=True)
        except httpx.HTTPError:
            return problem(503, "UPSTREAM-DOWN", "The service is not reachable.",
                           f"The {service} service did not answer.", fix="Try again shortly.")
        return StreamingResponse(response.aiter_raw(), status_code=response.status_code,
                                 headers=_headers(response.headers.items()),
                                 background=BackgroundTask(response.aclose))

    return app
