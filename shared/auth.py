"""Signed access tokens (JWT, HS256) that every service can verify with the shared secret.

A token names its web profile's session generation (``gen``): signing out, a password change,
a role change or disabling the profile moves the generation on, and every service refuses a
token of an older one (``shared/sessions.py``, docs/security.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.errors import UnauthorizedError

STAFF_ROLES = frozenset({"officer", "admin", "officer-radio", "officer-spectrum",
                         "officer-broadcasting", "officer-equipment"})
MAX_TOKEN = 4096  # characters; a real token is a few hundred


@dataclass(frozen=True)
class Principal:
    """Who is calling: a web profile, with its roles (ISED staff have officer/admin roles)."""

    profile_id: str
    username: str
    roles: frozenset[str] = field(default_factory=frozenset)
    language: str = "en"
    generation: int = 0  # the session generation the token was issued in

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_HEADER = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())


def issue_token(principal: Principal, *, secret: str, now: datetime, ttl_s: int) -> str:
    claims: dict[str, Any] = {
        "sub": principal.profile_id, "usr": principal.username,
        "roles": sorted(principal.roles), "lang": principal.language,
        "gen": principal.generation,
        "iat": int(now.timestamp()), "exp": int(now.timestamp()) + ttl_s,
    }
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{_HEADER}.{body}".encode(), hashlib.sha256).digest()
    return f"{_HEADER}.{body}.{_b64(signature)}"


def _invalid() -> UnauthorizedError:
    return UnauthorizedError("AUTH-TOKEN-INVALID", "Your sign-in is not valid or has expired.",
                             fix="Sign in again to get a new token.")


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise _invalid()
    return value


def _number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid()
    return value


def _principal(claims: object) -> tuple[Principal, int]:
    """The principal and expiry of well-formed claims; anything else is an invalid token
    (401), never a server error, even when validly signed."""
    if not isinstance(claims, dict):
        raise _invalid()
    roles = claims.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise _invalid()
    language = claims.get("lang", "en")
    if language not in ("en", "fr"):
        raise _invalid()
    principal = Principal(profile_id=_text(claims.get("sub"), 64),
                          username=_text(claims.get("usr"), 200), roles=frozenset(roles),
                          language=language, generation=_number(claims.get("gen", 0)))
    return principal, _number(claims.get("exp"))


def verify_token(token: str, *, secret: str, now: datetime) -> Principal:
    if len(token) > MAX_TOKEN:
        raise _invalid()
    try:
        header, body, signature = token.split(".")
        expected = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
        if header != _HEADER or not hmac.compare_digest(expected, _unb64(signature)):
            raise _invalid()
        claims = json.loads(_unb64(body))
    except (ValueError, binascii.Error, UnicodeError, RecursionError) as exc:
        raise _invalid() from exc
    principal, expires = _principal(claims)
    if expires <= now.timestamp():
        raise _invalid()
    return principal
