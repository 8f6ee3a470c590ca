"""FastAPI dependencies: who is calling (bearer token or session cookie)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from shared.auth import Principal, verify_token
from shared.clock import Clock
from shared.errors import ForbiddenError, UnauthorizedError

SESSION_COOKIE = "sms_session"


def _token_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(SESSION_COOKIE)


def principal_dependency(secret: str, clock: Clock
                         ) -> Callable[[Request], Awaitable[Principal]]:
    # async on purpose, as every cheap dependency here: FastAPI runs a plain ``def`` in a
    # worker thread, a hop that costs more than the check itself
    async def current_principal(request: Request) -> Principal:
        token = _token_from(request)
        if not token:
            raise UnauthorizedError("AUTH-REQUIRED", "You need to sign in first.",
                                    fix="Send a bearer token from POST /api/identity/token.")
        principal = verify_token(token, secret=secret, now=clock.now())
        request.state.principal = principal
        return principal

    return current_principal


def optional_principal(request: Request) -> Principal | None:
    return getattr(request.state, "principal", None)


def require_staff(principal: Principal) -> Principal:
    if not principal.is_staff:
        raise ForbiddenError("AUTH-STAFF-ONLY", "Only ISED staff may do this.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends()]
