"""FastAPI dependencies: who is calling (bearer token or session cookie), and the CSRF rule for
the session cookie.

A bearer token is sent on purpose by its holder, so it needs nothing more. The session cookie
is sent by the browser on its own, so a write that relies on it must prove it comes from this
site: the CSRF token (``X-CSRF-Token`` equal to the ``sms_csrf`` cookie) or a same-origin
request (``Sec-Fetch-Site``, ``Origin`` or ``Referer``). See docs/security.md.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from shared.auth import Principal, verify_token
from shared.clock import Clock
from shared.errors import ForbiddenError, UnauthorizedError
from shared.sessions import SessionRevocations

SESSION_COOKIE = "sms_session"
CSRF_COOKIE = "sms_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# who calls: a FastAPI dependency that answers with the principal or refuses (401)
PrincipalDependency = Callable[[Request], Awaitable[Principal]]


def _token_from(request: Request) -> tuple[str | None, bool]:
    """The token and whether it came from the session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    return request.cookies.get(SESSION_COOKIE), True


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def same_origin(request: Request, public_origins: Iterable[str]) -> bool:
    """The browser says the request comes from this site: ``Sec-Fetch-Site``, else ``Origin``,
    else ``Referer`` names it (the public address, or the host the request was sent to)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    claimed = request.headers.get("origin") or request.headers.get("referer") or ""
    origin = origin_of(claimed) if claimed != "null" else ""
    if not origin:
        return False
    host = (request.headers.get("host") or "").lower()
    return origin in {o.lower() for o in public_origins} or (
        bool(host) and urlsplit(origin).netloc == host)


def csrf_token_matches(request: Request, submitted: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    value = submitted or request.headers.get(CSRF_HEADER) or ""
    return bool(cookie) and hmac.compare_digest(cookie.encode(), value.encode())


def csrf_refused() -> ForbiddenError:
    return ForbiddenError("AUTH-CSRF", "This request was not sent from this site, so it was "
                          "refused.", fix="Send the X-CSRF-Token header (the value of the "
                          "sms_csrf cookie), or use a bearer token from POST "
                          "/api/identity/token.")


def check_cookie_write(request: Request, public_origins: Iterable[str]) -> None:
    """A write carried by the session cookie needs the CSRF token or a same-origin request."""
    if request.method in SAFE_METHODS:
        return
    if csrf_token_matches(request, None) or same_origin(request, public_origins):
        return
    raise csrf_refused()


def principal_dependency(secret: str, clock: Clock, revocations: SessionRevocations | None,
                         public_base_url: str = "") -> PrincipalDependency:
    public = [origin_of(public_base_url)] if public_base_url else []

    # async on purpose, as every cheap dependency here: FastAPI runs a plain ``def`` in a
    # worker thread, a hop that costs more than the check itself
    async def current_principal(request: Request) -> Principal:
        token, from_cookie = _token_from(request)
        if not token:
            raise UnauthorizedError("AUTH-REQUIRED", "You need to sign in first.",
                                    fix="Send a bearer token from POST /api/identity/token.")
        principal = verify_token(token, secret=secret, now=clock.now())
        if revocations is not None:
            await revocations.check(principal)
        if from_cookie:
            check_cookie_write(request, public)
        request.state.principal = principal
        return principal

    return current_principal


def maybe_principal_dependency(principal: PrincipalDependency
                               ) -> Callable[[Request], Awaitable[Principal | None]]:
    """The caller when a token or session cookie is sent (a bad one is still refused), else
    None: for the doors that anyone may open but that do more for a signed-in caller."""

    async def maybe_principal(request: Request) -> Principal | None:
        sent = request.headers.get("authorization") or request.cookies.get(SESSION_COOKIE)
        return await principal(request) if sent else None

    return maybe_principal


def optional_principal(request: Request) -> Principal | None:
    return getattr(request.state, "principal", None)


def require_staff(principal: Principal) -> Principal:
    if not principal.is_staff:
        raise ForbiddenError("AUTH-STAFF-ONLY", "Only ISED staff may do this.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends()]
