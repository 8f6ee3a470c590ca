"""The real-stack gateway: one address in front of the five service APIs and their pages.

``/api/<service>/...`` and the pages ``/<service>/...`` go to the service that owns them, at the
same path and query (byte for byte); ``/``, the officer's entry and the static files are served
here (``services/gateway/web``).

Requests stream through both ways (an upload is never buffered here). The client is aiohttp:
no cookie jar (a cookie belongs to the browser, never to the gateway), no redirects followed,
bodies relayed undecoded, and idle upstream connections dropped before the upstream's own
keep-alive ends, so a request never lands on a connection the upstream is closing. In
production this is nginx (deploy/); this process plays its part for ``make stack``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.background import BackgroundTask
from yarl import URL

from services.gateway.openapi import combined_openapi
from services.gateway.web.apis import upstream_apis
from services.gateway.web.routes import GatewayPages, build_gateway_pages
from services.gateway.web.setup import mount_static, portal_from
from shared.clock import SystemClock
from shared.config import ServiceSettings
from shared.web.docs import swagger_page
from shared.web.headers import SecurityHeadersMiddleware
from shared.web.problems import problem

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "host", "content-length"}
UPSTREAM_IDLE_S = 2.0  # below every service's keep-alive (uvicorn: 5 s, ours: 30 s)
BODYLESS = {"GET", "HEAD", "DELETE", "OPTIONS"}
PROBE = aiohttp.ClientTimeout(total=2.0)
WHOLE_BELOW = 256 * 1024  # bytes: answers up to this size are relayed in one piece


def _request_headers(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}


def _response_headers(response: aiohttp.ClientResponse) -> list[tuple[bytes, bytes]]:
    """Every upstream header but the hop-by-hop ones, repeated ones (Set-Cookie) kept."""
    return [(name.lower(), value) for name, value in response.raw_headers
            if name.decode("latin-1").lower() not in HOP_BY_HOP]


def _target(base: str, request: Request) -> URL:
    """The same path and query at ``base``, as the client encoded them."""
    path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    raw = path.decode("latin-1") + (("?" + query.decode("latin-1")) if query else "")
    return URL(base.rstrip("/") + raw, encoded=True)


def _body(request: Request) -> AsyncIterator[bytes] | None:
    has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
    if request.method in BODYLESS and not has_body:
        return None
    return request.stream()


def _upstream_down(detail: str) -> Response:
    return problem(503, "UPSTREAM-DOWN", "The service is not reachable.", detail,
                   fix="Try again shortly.")


async def _relay(response: aiohttp.ClientResponse) -> Response:
    """A small answer of known length is relayed whole (no streaming machinery per request);
    anything else (a report, a download) streams."""
    headers = _response_headers(response)
    if response.content_length is None or response.content_length > WHOLE_BELOW:

        async def release() -> None:  # async: a plain def would cost a worker thread hop
            response.release()

        streamed = StreamingResponse(response.content.iter_any(), status_code=response.status,
                                     background=BackgroundTask(release))
        streamed.raw_headers = headers
        return streamed
    try:
        body = await response.read()  # read whole, the connection goes back to the pool
    except (TimeoutError, aiohttp.ClientError):
        return _upstream_down("The service broke off its answer.")
    whole = Response(body, status_code=response.status)
    whole.raw_headers = [*headers, (b"content-length", str(len(body)).encode())]
    return whole


def _client() -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=UPSTREAM_IDLE_S)
    return aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False,
        timeout=aiohttp.ClientTimeout(total=None, connect=5.0, sock_read=120.0),
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"))


def build_proxy(upstreams: Mapping[str, str], settings: ServiceSettings | None = None) -> FastAPI:
    """``upstreams`` maps a service name to its base URL (``/api/<name>/...`` and the pages
    ``/<name>/...`` go there); ``settings`` give the token secret for the gateway's pages."""
    clients: dict[str, aiohttp.ClientSession] = {}
    spec = combined_openapi()
    apis = upstream_apis(upstreams)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        clients["http"] = _client()
        yield
        await clients["http"].close()
        await apis.aclose()

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)
    app.add_middleware(SecurityHeadersMiddleware)  # kept as the services set them

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(spec)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return swagger_page("/openapi.json", "SMS API")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        for name, base in upstreams.items():
            try:
                async with clients["http"].get(f"{base}/healthz", timeout=PROBE) as response:
                    status = response.status
            except (TimeoutError, aiohttp.ClientError):
                return problem(503, "NOT-READY", f"{name} is not reachable", f"{name} is down")
            if status != 200:
                return problem(503, "NOT-READY", f"{name} is not ready", f"{name} is starting")
        return JSONResponse({"status": "ok"})

    @app.api_route("/api/{service}/{path:path}",
                   methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def forward(service: str, path: str, request: Request) -> Any:
        if service not in upstreams:
            return problem(404, "NOT-FOUND", "Not Found", f"No service named {service}.")
        return await send(service, request)

    async def send(service: str, request: Request) -> Any:
        try:
            response = await clients["http"].request(
                request.method, _target(upstreams[service], request),
                headers=_request_headers(request), data=_body(request), allow_redirects=False)
        except (TimeoutError, aiohttp.ClientError):
            return _upstream_down(f"The {service} service did not answer.")
        return await _relay(response)

    portal = portal_from(settings or ServiceSettings(), SystemClock(), upstreams)
    app.include_router(build_gateway_pages(portal, GatewayPages(apis)))
    mount_static(app)

    @app.api_route("/{service}/{path:path}", methods=["GET", "POST"], include_in_schema=False)
    async def page(service: str, path: str, request: Request) -> Any:
        if service not in upstreams:
            return problem(404, "NOT-FOUND", "Not Found", f"No page at /{service}/{path}.")
        return await send(service, request)

    return app
