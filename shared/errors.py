"""Errors a user sees: a stable code, a plain sentence and a fix."""

from __future__ import annotations


class DomainError(Exception):
    """Raised by handlers and domains; the API layer turns it into RFC 9457 problem details."""

    status = 400

    def __init__(self, code: str, message: str, *, fix: str | None = None,
                 status: int | None = None, field: str | None = None,
                 retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fix = fix
        self.field = field
        self.retry_after = retry_after  # seconds: sent as Retry-After (429, 503)
        if status is not None:
            self.status = status


class NotFoundError(DomainError):
    status = 404


class ForbiddenError(DomainError):
    status = 403


class ConflictError(DomainError):
    status = 409


class UnauthorizedError(DomainError):
    status = 401


class TooManyRequestsError(DomainError):
    """A client or a target went past a rate limit: 429 with Retry-After."""

    status = 429

    def __init__(self, code: str, message: str, *, retry_after: int, fix: str | None = None,
                 field: str | None = None) -> None:
        super().__init__(code, message, fix=fix, field=field, retry_after=max(1, retry_after))
