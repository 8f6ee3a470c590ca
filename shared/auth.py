"""Signed access tokens (JWT, HS256) that every service can verify with the shared secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.errors import UnauthorizedError

STAFF_ROLES = frozenset({"officer", "admin", "officer-radio", "officer-spectrum",
                         "officer-broadcasting", "officer-equipment"})


@dataclass(frozen=True)
class Principal:
    """Who is calling: a web profile, with its roles (ISED staff have officer/admin roles)."""

    profile_id: str
    username: str
    roles: frozenset[str] = field(default_factory=frozenset)
    language: str = "en"

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
        "iat": int(now.timestamp()), "exp": int(now.timestamp()) + ttl_s,
    }
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{_HEADER}.{body}".encode(), hashlib.sha256).digest()
    return f"{_HEADER}.{body}.{_b64(signature)}"


def _invalid() -> UnauthorizedError:
    return UnauthorizedError("AUTH-TOKEN-INVALID", "Your sign-in is not valid or has expired.",
                             fix="Sign in again to get a new token.")


def verify_token(token: str, *, secret: str, now: datetime) -> Principal:
    try:
        header, body, signature = token.split(".")
        expected = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
        if header != _HEADER or not hmac.compare_digest(expected, _unb64(signature)):
            raise _invalid()
        claims = json.loads(_unb64(body))
    except (ValueError, json.JSONDecodeError) as exc:
        raise _invalid() from exc
    if int(claims.get("exp", 0)) <= now.timestamp():
        raise _invalid()
    return Principal(profile_id=str(claims["sub"]), username=str(claims["usr"]),
                     roles=frozenset(claims.get("roles", [])), language=claims.get("lang", "en"))
