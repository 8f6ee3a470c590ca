"""The route class of portal pages: errors become pages, never JSON or a stack trace."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Protocol

import structlog
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from shared.errors import DomainError

log = structlog.get_logger()

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class SignInRequired(Exception):
    """Raised by ``Portal.signed_in``: the page redirects to the sign-in page."""


class PageRefused(Exception):
    """An error that is the whole page's answer, even where the page catches
    ``DomainError`` to show it in its form (a CSRF refusal inside a streamed form)."""

    def __init__(self, error: DomainError):
        super().__init__(error.message)
        self.error = error


class ErrorPages(Protocol):
    """What the route class needs of the portal (``Portal`` is one): the sign-in address, an
    error page, a message in the request's language."""

    def signin_url(self, request: Request) -> str: ...

    def render_error(self, request: Request, exc: DomainError) -> Response: ...

    def t(self, request: Request, key: str, **params: object) -> str: ...


def page_route_class(portal: ErrorPages) -> type[APIRoute]:
    class PageRoute(APIRoute):
        def get_route_handler(self) -> Handler:
            original = super().get_route_handler()

            async def handler(request: Request) -> Response:
                try:
                    return await original(request)
                except SignInRequired:
                    return RedirectResponse(portal.signin_url(request), status_code=303)
                except PageRefused as exc:
                    return portal.render_error(request, exc.error)
                except DomainError as exc:
                    if exc.status == 401:
                        return RedirectResponse(portal.signin_url(request), status_code=303)
                    return portal.render_error(request, exc)
                except RequestValidationError:
                    return portal.render_error(request, DomainError(
                        "PORTAL-REQUEST-INVALID", portal.t(request, "portal.error.request"),
                        fix=portal.t(request, "portal.error.request_fix")))
                except HTTPException:
                    raise
                except Exception:  # noqa: BLE001 - a page shows a sentence, never a trace
                    log.exception("portal.unexpected_error", path=request.url.path)
                    return portal.render_error(request, DomainError(
                        "INTERNAL", portal.t(request, "portal.error.internal"),
                        fix=portal.t(request, "portal.error.internal_fix"), status=500))

            return handler

    return PageRoute
