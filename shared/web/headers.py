"""Security headers on every response, and the size limit of request bodies that are not
streamed uploads.

``SecurityHeadersMiddleware`` adds a Content-Security-Policy with no inline script (page
scripts are files under ``/static``), ``frame-ancestors 'none'`` and X-Frame-Options,
X-Content-Type-Options, Referrer-Policy and a Permissions-Policy; the API documentation page
(``/docs``) may also load Swagger UI from its CDN. HSTS is the TLS front's (deploy/, nginx).

``BodyLimitMiddleware`` refuses a JSON or form body larger than ``max_bytes`` with a 413
problem, by its Content-Length at once or while it arrives; multipart bodies are left to the
streamed uploads, which have their own limits (docs/security.md).
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.web.policy import COMMON, policy_for
from shared.web.problems import PROBLEM, problem_body


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    return [(b"content-security-policy", policy_for(path).encode()), *COMMON]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = security_headers(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in added if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised while the body is read: an HTTPException, so FastAPI's body parsing passes it
    on (it turns other errors into a 400) and the problem handlers answer 413."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body is too large: at most {max_bytes // 1024} KB.")


def _too_large(max_bytes: int) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps(problem_body(
        413, "REQUEST-TOO-LARGE", "The request body is too large.",
        f"A JSON or form body may hold at most {max_bytes // 1024} KB.",
        fix="Send less; files go as multipart/form-data to the upload endpoints."),
        separators=(",", ":")).encode()
    return body, [(b"content-type", PROBLEM.encode()),
                  (b"content-length", str(len(body)).encode())]


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int = 1024 * 1024) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_multipart(scope):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body, headers = _too_large(self.max_bytes)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((v for k, v in scope.get("headers", []) if k.lower() == name), None)


def _is_multipart(scope: Scope) -> bool:
    kind = _header(scope, b"content-type") or b""
    return kind.lower().startswith(b"multipart/form-data")


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b"content-length")
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None
