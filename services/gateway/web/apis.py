"""Calls the services' APIs on the user's behalf (their token), server side.

Embedded: through the application itself (ASGI, no network). Real stack: to each service's
upstream URL. A page that gathers from several services shows what it got; a service that
does not answer leaves its section marked unavailable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import structlog

log = structlog.get_logger()


class ServiceApis:
    def __init__(self, client: httpx.AsyncClient, upstreams: Mapping[str, str] | None = None):
        self.client = client
        self.upstreams = dict(upstreams or {})

    def _url(self, path: str) -> str:
        if not self.upstreams:
            return path
        service = path.split("/")[2]
        return self.upstreams.get(service, "") + path

    async def get(self, path: str, token: str | None,
                  params: Mapping[str, Any] | None = None) -> Any | None:
        """The JSON body, or None when the call failed (logged, never raised)."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self.client.get(self._url(path), headers=headers,
                                             params=dict(params or {}))
        except httpx.HTTPError as exc:
            log.warning("portal.api_unreachable", path=path, error=type(exc).__name__)
            return None
        if response.status_code != 200:
            log.info("portal.api_refused", path=path, status=response.status_code)
            return None
        return response.json()

    async def aclose(self) -> None:
        await self.client.aclose()


def embedded_apis(app: Any) -> ServiceApis:
    transport = httpx.ASGITransport(app=app)
    return ServiceApis(httpx.AsyncClient(transport=transport, base_url="http://portal.internal",
                                         timeout=30.0))


def upstream_apis(upstreams: Mapping[str, str]) -> ServiceApis:
    return ServiceApis(httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=5.0)), upstreams)
