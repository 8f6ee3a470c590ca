"""The session cookie and CSRF protection of portal pages.

Signing in puts the signed access token of ``shared.auth`` in the HttpOnly, SameSite=Lax
``sms_session`` cookie (the same cookie the APIs accept, see ``shared/web/security.py``).
Every form carries a CSRF token that must equal the ``sms_csrf`` cookie (double submit); the
token is random per browser and set by the first page rendered.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from shared.auth import Principal, verify_token
from shared.clock import Clock
from shared.errors import DomainError, ForbiddenError
from shared.sessions import SessionRevocations
from shared.web.security import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE

__all__ = ["CSRF_COOKIE", "CSRF_FIELD", "CSRF_HEADER", "check_csrf", "csrf_token",
           "session_principal", "session_token", "store_csrf"]


def set_session(response: Response, token: str, *, max_age: int, secure: bool) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax",
                        secure=secure, path="/")


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def session_principal(request: Request, secret: str, clock: Clock,
                      revocations: SessionRevocations | None = None) -> Principal | None:
    """Who the session cookie says is signed in, or None (no cookie, expired, tampered, or a
    session that has ended: signed out, password or roles changed, profile disabled)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        principal = verify_token(token, secret=secret, now=clock.now())
    except DomainError:
        return None
    if revocations is not None and not revocations.is_current(principal):
        return None
    return principal


def session_token(request: Request) -> str | None:
    """The raw token, for calling a service's API on the user's behalf."""
    return request.cookies.get(SESSION_COOKIE)


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (a new one when it has none yet; the page sets the cookie)."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    fresh: str | None = getattr(request.state, "csrf_new", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.csrf_new = fresh
    return fresh


def store_csrf(request: Request, response: Response, *, secure: bool) -> None:
    """Set the CSRF cookie when this request made a new token."""
    fresh = getattr(request.state, "csrf_new", None)
    if fresh:
        response.set_cookie(CSRF_COOKIE, fresh, httponly=True, samesite="lax", secure=secure,
                            path="/")


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form whose token (a field, or the X-CSRF-Token header) does not match the
    browser's cookie (403). Never from the URL: a token there leaks into logs and Referer."""
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    value = submitted or request.headers.get(CSRF_HEADER) or ""
    if not cookie or not hmac.compare_digest(cookie.encode(), value.encode()):
        raise ForbiddenError("PORTAL-CSRF", "This form has expired or was not sent from this "
                             "site.", fix="Go back, reload the page and send the form again.")
