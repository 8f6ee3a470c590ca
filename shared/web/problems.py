"""RFC 9457 problem details for every error an API client can see; never a stack trace."""

from __future__ import annotations

import sqlite3

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import DomainError
from shared.web.policy import COMMON, policy_for

log = structlog.get_logger()

PROBLEM = "application/problem+json"


def problem_body(status: int, code: str, title: str, detail: str, *, fix: str | None = None,
                 errors: list[dict[str, object]] | None = None) -> dict[str, object]:
    """The problem document itself (also written into the nginx configuration of the stack)."""
    body: dict[str, object] = {"type": f"urn:sms:problem:{code}", "title": title,
                               "status": status, "detail": detail, "code": code}
    if fix:
        body["fix"] = fix
    if errors:
        body["errors"] = errors
    return body


def problem(status: int, code: str, title: str, detail: str, *, fix: str | None = None,
            errors: list[dict[str, object]] | None = None) -> JSONResponse:
    return JSONResponse(problem_body(status, code, title, detail, fix=fix, errors=errors),
                        status_code=status, media_type=PROBLEM)


async def _domain(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    errors: list[dict[str, object]] | None = (
        [{"field": exc.field, "message": exc.message}] if exc.field else None)
    response = problem(exc.status, exc.code, exc.message, exc.message, fix=exc.fix,
                       errors=errors)
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors: list[dict[str, object]] = [
        {"field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
         "message": str(err.get("msg", "invalid"))} for err in exc.errors()]
    return problem(422, "REQUEST-INVALID", "The request is not valid.",
                   "Some fields are missing or not valid.", fix="Correct the fields listed.",
                   errors=errors)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "NOT-FOUND", 405: "METHOD-NOT-ALLOWED", 401: "AUTH-REQUIRED",
            413: "REQUEST-TOO-LARGE"}.get(exc.status_code, f"HTTP-{exc.status_code}")
    fix = ("Send less; files go as multipart/form-data to the upload endpoints."
           if exc.status_code == 413 else None)
    return problem(exc.status_code, code, str(exc.detail), str(exc.detail), fix=fix)


def _unavailable(exc: Exception) -> bool:
    """A dependency is down (the database restarting, a connection cut): not the caller's
    fault and not a bug, so 503 and "try again" rather than 500."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        if isinstance(exc.orig, sqlite3.Error):  # embedded: only a busy database is transient
            return "locked" in str(exc.orig)
        return isinstance(exc, OperationalError | InterfaceError)  # psycopg: the connection
    return isinstance(exc, ConnectionError | TimeoutError)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    if _unavailable(exc):
        log.warning("api.dependency_unavailable", path=request.url.path,
                    error=type(exc).__name__)
        response = problem(503, "UNAVAILABLE", "The service is briefly unavailable.",
                           "A server it depends on did not answer. Nothing was changed.",
                           fix="Try again in a few seconds.")
        response.headers["Retry-After"] = "5"
        return response
    log.exception("api.unexpected_error", path=request.url.path)
    response = problem(500, "INTERNAL", "Something went wrong on our side.",
                       "The request could not be completed. Nothing was changed.",
                       fix="Try again in a minute; if it keeps happening, contact ISED.")
    # sent by Starlette's outermost middleware, outside SecurityHeadersMiddleware
    response.headers["content-security-policy"] = policy_for(request.url.path)
    for name, value in COMMON:
        response.headers[name.decode()] = value.decode()
    return response


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
