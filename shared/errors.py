"""Errors a user sees: a stable code, a plain sentence and a fix."""

from __future__ import annotations


class DomainError(Exception):
    """Raised by handlers and domains; the API layer turns it into RFC 9457 problem details."""

    status = 400

    def __init__(self, code: str, message: str, *, fix: str | None = None,
                 status: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fix = fix
        self.field = field
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
