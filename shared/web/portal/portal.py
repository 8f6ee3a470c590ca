"""The portal: server-rendered pages over every service, in English and French.

One ``Portal`` per application holds the Jinja2 environment (the shared layout and macros,
plus each service's ``web/templates/`` under its name), the message catalogues, and the
settings for sessions. A service builds its pages with ``portal.router()`` and renders with
``portal.render()``; see README.md beside this file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
import structlog
from fastapi import APIRouter
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from shared.auth import Principal
from shared.clock import Clock
from shared.errors import DomainError, ForbiddenError
from shared.sessions import SessionRevocations
from shared.web.portal import i18n, nav, session
from shared.web.portal.forms import FieldError, FormErrors
from shared.web.portal.routing import PageRefused, SignInRequired, page_route_class

log = structlog.get_logger()

HERE = Path(__file__).parent
NOTICE_COOKIE = "sms_notice"
SIGNIN_PATH = "/identity/signin"
SIGNOUT_PATH = "/identity/signout"
HOME_PATH = "/"


@dataclass(frozen=True)
class PortalSettings:
    """What the portal needs to know about sessions (from any service's settings)."""

    secret: str
    clock: Clock
    session_ttl_s: int = 3600
    secure_cookies: bool = False
    development: bool = True
    revocations: SessionRevocations | None = None  # ended sessions (shared/sessions.py)


class Portal:
    """Templates, messages, language, session and CSRF for the pages of one application."""

    def __init__(self, settings: PortalSettings, template_dirs: Mapping[str, Path],
                 message_dirs: Sequence[Path] = ()):
        self.settings = settings
        self.catalogue = i18n.Catalogue([HERE / "messages", *message_dirs])
        loaders: dict[str, jinja2.BaseLoader] = {"portal": jinja2.FileSystemLoader(
            HERE / "templates")}
        loaders.update({name: jinja2.FileSystemLoader(path)
                        for name, path in template_dirs.items()})
        self.env = jinja2.Environment(loader=jinja2.PrefixLoader(loaders, delimiter="/"),
                                      autoescape=True, undefined=jinja2.StrictUndefined,
                                      trim_blocks=True, lstrip_blocks=True)
        self._install_helpers()

    @classmethod
    def for_folders(cls, settings: PortalSettings, owners: Mapping[str, Path]) -> Portal:
        """``owners`` maps a name (a service, ``gateway``) to its ``web/`` folder."""
        templates = {name: web / "templates" for name, web in owners.items()
                     if (web / "templates").is_dir()}
        messages = [web / "messages" for web in owners.values() if (web / "messages").is_dir()]
        return cls(settings, templates, messages)

    # --- templates ----------------------------------------------------------------------
    def _install_helpers(self) -> None:
        catalogue = self.catalogue

        @jinja2.pass_context
        def t(ctx: Any, key: str, **params: object) -> str:
            return catalogue.t(ctx.get("lang", i18n.DEFAULT_LANGUAGE), key, params)

        def lang_filter(fn: Any) -> Any:
            @jinja2.pass_context
            def apply(ctx: Any, value: Any, *args: Any) -> str:
                return str(fn(value, ctx.get("lang", i18n.DEFAULT_LANGUAGE), *args))
            return apply

        self.env.globals["t"] = t
        self.env.filters["date"] = lang_filter(i18n.format_date)
        self.env.filters["datetime"] = lang_filter(i18n.format_datetime)
        self.env.filters["number"] = lang_filter(i18n.format_number)
        self.env.globals["signin_path"] = SIGNIN_PATH
        self.env.globals["signout_path"] = SIGNOUT_PATH
        self.env.globals["mailbox"] = False
        self.env.globals["menu"] = nav.menu

        @jinja2.pass_context
        def error_text(ctx: Any, error: FieldError) -> str:
            lang = ctx.get("lang", i18n.DEFAULT_LANGUAGE)
            if error.code and catalogue.has(f"errors.{error.code}"):
                return catalogue.t(lang, f"errors.{error.code}", error.params)
            return catalogue.t(lang, error.message, error.params)

        @jinja2.pass_context
        def error_fix(ctx: Any, error: FieldError) -> str:
            lang = ctx.get("lang", i18n.DEFAULT_LANGUAGE)
            if error.code and catalogue.has(f"errors.{error.code}.fix"):
                return catalogue.t(lang, f"errors.{error.code}.fix", error.params)
            return error.fix or ""

        self.env.globals["error_text"] = error_text
        self.env.globals["error_fix"] = error_fix

    def t(self, request: Request, key: str, **params: object) -> str:
        """A message in the request's language (for text built in Python)."""
        return self.catalogue.t(self.language(request), key, params)

    # --- who and which language -----------------------------------------------------------
    def language(self, request: Request) -> str:
        return i18n.negotiate(request.query_params.get("lang"),
                              request.cookies.get(i18n.LANG_COOKIE),
                              request.headers.get("accept-language"))

    def principal(self, request: Request) -> Principal | None:
        return session.session_principal(request, self.settings.secret, self.settings.clock,
                                         self.settings.revocations)

    async def signed_in(self, request: Request) -> Principal:
        """The signed-in web profile; a page dependency that sends others to sign in."""
        if self.settings.revocations is not None:
            await self.settings.revocations.refresh()
        principal = self.principal(request)
        if principal is None:
            raise SignInRequired()
        return principal

    async def staff(self, request: Request) -> Principal:
        principal = await self.signed_in(request)
        if not principal.is_staff:
            raise ForbiddenError("AUTH-STAFF-ONLY", "Only ISED staff may do this.")
        return principal

    def signin_url(self, request: Request) -> str:
        """The sign-in page, then back here; in the language asked for (a mail's link)."""
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        lang = request.query_params.get("lang")
        asked = f"&lang={lang}" if lang in i18n.LANGUAGES else ""
        return f"{SIGNIN_PATH}?next={quote(target, safe='')}{asked}"

    # --- forms --------------------------------------------------------------------------
    async def form(self, request: Request) -> dict[str, str]:
        """The submitted text fields of a form, after checking its CSRF token (files are
        ignored here; stream them with ``shared.web.multipart``)."""
        data = await request.form()
        values = {k: v for k, v in data.multi_items() if not isinstance(v, UploadFile)}
        session.check_csrf(request, values.get(session.CSRF_FIELD))
        return {k: str(v).strip() for k, v in values.items() if k != session.CSRF_FIELD}

    def check_csrf(self, request: Request, submitted: str | None = None) -> None:
        session.check_csrf(request, submitted)

    def csrf_guard(self, request: Request) -> Callable[[Mapping[str, str]], None]:
        """For a streamed form (``shared.web.multipart.stream_form(..., guard=)``): checks the
        CSRF field sent before the file (``m.csrf()`` first in the form) or the header, before
        a byte of the file is stored."""
        def guard(fields: Mapping[str, str]) -> None:
            try:
                session.check_csrf(request, fields.get(session.CSRF_FIELD))
            except DomainError as exc:
                raise PageRefused(exc) from None  # an error page, not an error in the form

        return guard

    # --- responses ----------------------------------------------------------------------
    def render(self, request: Request, template: str, context: Mapping[str, Any] | None = None,
               *, status: int = 200, errors: FormErrors | None = None) -> HTMLResponse:
        lang = self.language(request)
        notice = request.cookies.get(NOTICE_COOKIE)
        values: dict[str, Any] = {
            "request": request, "lang": lang, "other_lang": "fr" if lang == "en" else "en",
            "toggle_url": self.toggle_url(request, lang), "principal": self.principal(request),
            "csrf_token": session.csrf_token(request), "csrf_field": session.CSRF_FIELD,
            "errors": errors or FormErrors(), "development": self.settings.development,
            "notice": notice if notice and self.catalogue.has(notice) else None,
            "path": request.url.path,
        }
        values.update(context or {})
        html = self.env.get_template(template).render(values)
        response = HTMLResponse(html, status_code=status, headers={
            "cache-control": "no-store", "content-language": lang})
        self._cookies(request, response, lang, notice)
        return response

    def _cookies(self, request: Request, response: Response, lang: str,
                 notice: str | None) -> None:
        session.store_csrf(request, response, secure=self.settings.secure_cookies)
        if request.query_params.get("lang") and request.cookies.get(i18n.LANG_COOKIE) != lang:
            response.set_cookie(i18n.LANG_COOKIE, lang, max_age=365 * 24 * 3600,
                                samesite="lax", secure=self.settings.secure_cookies, path="/")
        if notice:
            response.delete_cookie(NOTICE_COOKIE, path="/")

    def toggle_url(self, request: Request, lang: str) -> str:
        """This page in the other language (the query kept, ``lang`` replaced)."""
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        query.append(("lang", "fr" if lang == "en" else "en"))
        return f"{request.url.path}?{urlencode(query)}"

    def redirect(self, url: str, *, notice: str | None = None) -> RedirectResponse:
        """303 See Other after a successful post; ``notice`` is a catalogue key shown once."""
        response = RedirectResponse(safe_next(url), status_code=303)
        if notice:
            response.set_cookie(NOTICE_COOKIE, notice, max_age=300, httponly=True,
                                samesite="lax", secure=self.settings.secure_cookies, path="/")
        return response

    def render_error(self, request: Request, exc: DomainError) -> HTMLResponse:
        error = FieldError(None, exc.message, {}, exc.fix, exc.code)
        response = self.render(request, "portal/error.html",
                               {"error": error, "code": exc.code}, status=exc.status)
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    def router(self, prefix: str = "") -> APIRouter:
        """An ``APIRouter`` for pages: hidden from OpenAPI; a ``DomainError`` becomes an error
        page, a missing sign-in a redirect to the sign-in page."""
        return APIRouter(prefix=prefix, include_in_schema=False,
                         route_class=page_route_class(self))

    # --- sessions -----------------------------------------------------------------------
    def start_session(self, response: Response, token: str) -> None:
        session.set_session(response, token, max_age=self.settings.session_ttl_s,
                            secure=self.settings.secure_cookies)

    def end_session(self, response: Response) -> None:
        session.clear_session(response)


def safe_next(url: str | None, default: str = HOME_PATH) -> str:
    """Only a local path may be a redirect target (no ``//host`` or ``scheme:``)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url
