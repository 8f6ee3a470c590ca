"""The real-stack gateway: one address in front of the five service APIs and their pages.

``/api/<service>/...`` and the pages ``/<service>/...`` go to the service that owns them;
``/``, the officer's entry and the static files are served here (``services/gateway/web``).

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
from services.gateway.web.apis import upstream_apis
from services.gateway.web.routes import GatewayPages, build_gateway_pages
from services.gateway.web.setup import mount_static, portal_from
from shared.clock import SystemClock
from shared.config import ServiceSettings
from shared.web.problems import problem

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "host", "content-length"}


def _headers(items: Any) -> dict[str, str]:
    return {k: v for k, v in items if k.lower() not in HOP_BY_HOP}


def _relayed(response: httpx.Response) -> StreamingResponse:
    """The upstream answer streamed back, every Set-Cookie header kept."""
    relayed = StreamingResponse(response.aiter_raw(), status_code=response.status_code,
                                headers=_headers(response.headers.items()),
                                background=BackgroundTask(response.aclose))
    cookies = response.headers.get_list("set-cookie")
    if len(cookies) > 1:
        relayed.raw_headers = [h for h in relayed.raw_headers if h[0] != b"set-cookie"]
        relayed.raw_headers.extend((b"set-cookie", c.encode("latin-1")) for c in cookies)
    return relayed


def build_proxy(upstreams: Mapping[str, str], settings: ServiceSettings | None = None) -> FastAPI:
    """``upstreams`` maps a service name to its base URL (``/api/<name>/...`` and the pages
    ``/<name>/...`` go there); ``settings`` give the token secret for the gateway's pages."""
    client = httpx.AsyncClient(timeout=httpx.Timeout(120.0, connect=5.0))
    spec = combined_openapi()
    apis = upstream_apis(upstreams)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await client.aclose()
        await apis.aclose()

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
        return await send(service, f"{base}/api/{service}/{path}", request)

    async def send(service: str, url: str, request: Request) -> Any:
        upstream = client.build_request(
            request.method, url, params=request.query_params,
            headers=_headers(request.headers.items()), content=request.stream())
        try:
            response = await client.send(upstream, stream=True)
        except httpx.HTTPError:
            return problem(503, "UPSTREAM-DOWN", "The service is not reachable.",
                           f"The {service} service did not answer.", fix="Try again shortly.")
        return _relayed(response)

    portal = portal_from(settings or ServiceSettings(), SystemClock(), upstreams)
    app.include_router(build_gateway_pages(portal, GatewayPages(apis)))
    mount_static(app)

    @app.api_route("/{service}/{path:path}", methods=["GET", "POST"], include_in_schema=False)
    async def page(service: str, path: str, request: Request) -> Any:
        base = upstreams.get(service)
        if base is None:
            return problem(404, "NOT-FOUND", "Not Found", f"No page at /{service}/{path}.")
        return await send(service, f"{base}/{service}/{path}", request)

    return app
