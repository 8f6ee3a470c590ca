"""Binds a correlation id to every request's logs and echoes it back (``X-Correlation-ID``)."""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logging import bind_correlation

HEADER = b"x-correlation-id"
_SAFE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class CorrelationMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(HEADER, b"").decode("latin-1")
        correlation_id = given if _SAFE.match(given) else str(uuid.uuid4())
        bind_correlation(correlation_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((HEADER, correlation_id.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)
