"""The registration pages: choose the type, then each page of the seed's flow with Back and
Next, Review, Submit. (Sign-in pages are in ``signin.py``; management pages in ``manage.py``.)"""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.identity.adapters import views
from services.identity.context import IdentityContext
from services.identity.domain import registration as reg
from services.identity.domain.passwords import password_problems
from services.identity.handlers import attachments, registration
from services.identity.handlers.profiles import username_taken
from services.identity.web import wizard
from shared.errors import DomainError, NotFoundError
from shared.web.multipart import stream_form
from shared.web.portal import FormErrors, Portal
from shared.web.ratelimit import client_of

BASE = "/identity/register"


def errors_of(problems: reg.Problems) -> FormErrors:
    errors = FormErrors()
    for name, message in problems:
        errors.add(wizard.form_field(name), message)
    return errors


def build_pages(ctx: IdentityContext, portal: Portal) -> APIRouter:
    router = portal.router("/identity")
    secure = portal.settings.secure_cookies

    def kind_of(draft: dict[str, Any]) -> reg.RegistrationType | None:
        return reg.TYPES.get(str(draft.get("kind", "")))

    def go(url: str, draft: dict[str, Any] | None = None) -> Response:
        response = portal.redirect(url)
        if draft is not None:
            wizard.save(response, ctx.sealer, draft, secure)
        return response

    @router.get("/register", response_class=HTMLResponse)
    async def choose(request: Request) -> HTMLResponse:
        draft = wizard.load(request, ctx.sealer)
        return portal.render(request, "identity/register_type.html",
                             {"types": list(reg.TYPES.values()),
                              "values": {"kind": draft.get("kind", "")}})

    @router.post("/register", response_class=HTMLResponse)
    async def chose(request: Request) -> Response:
        values = await portal.form(request)
        if values.get("kind") not in reg.TYPES:
            return portal.render(request, "identity/register_type.html",
                                 {"types": list(reg.TYPES.values()), "values": values},
                                 status=400, errors=FormErrors().add(
                                     "kind", "identity.register.kind_missing"))
        draft = wizard.load(request, ctx.sealer)
        if draft.get("kind") != values["kind"]:
            draft = {"kind": values["kind"], "language": portal.language(request)}
        return go(f"{BASE}/user", draft)

    def render_step(request: Request, kind: reg.RegistrationType, step: str,
                    draft: dict[str, Any], errors: FormErrors | None = None,
                    extra: dict[str, Any] | None = None) -> HTMLResponse:
        shown = {k: v for k, v in draft.items() if k not in registration.SECRET_FIELDS}
        steps = kind.steps()
        context = {"kind": kind, "step": step, "steps": steps, "values": shown,
                   "number": steps.index(step), "count": len(steps) - 1,
                   "files": draft.get("attachments", []), **(extra or {})}
        return portal.render(request, f"identity/register_{step}.html"
                             if step in ("review", "attachments", "account")
                             else "identity/register_step.html", context,
                             status=400 if errors else 200, errors=errors)

    def current(request: Request, step: str) -> tuple[reg.RegistrationType, dict[str, Any]]:
        draft = wizard.load(request, ctx.sealer)
        kind = kind_of(draft)
        if kind is None or step not in kind.steps()[1:]:
            raise NotFoundError("ID-REG-STEP", "This registration page does not exist or the "
                                "registration was not started.",
                                fix="Start again from the registration page.")
        return kind, draft

    @router.get("/register/{step}", response_class=HTMLResponse)
    async def page(request: Request, step: str,
                   name: Annotated[str | None, Query(max_length=200)] = None,
                   city: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
        kind, draft = current(request, step)
        extra: dict[str, Any] = {"search": {"name": name or "", "city": city or ""},
                                 "results": None}
        if step == "account" and kind.picks_licensee and name and len(name.strip()) >= 2:
            async with ctx.uows() as uow:
                rows, _ = await views.search_licensees(uow.session, name, city, 50, 0)
            extra["results"] = rows
        return render_step(request, kind, step, draft, extra=extra)

    @router.post("/register/{step}", response_class=HTMLResponse)
    async def leave(request: Request, step: str) -> Response:
        kind, draft = current(request, step)
        values = await portal.form(request)
        action = values.get("action", "next")
        for name in wizard.STEP_FIELDS.get(step, ()):
            if name in values:
                draft[name] = values[name]
        steps = kind.steps()
        index = steps.index(step)
        if action == "back":
            target = f"{BASE}/{steps[index - 1]}" if index > 1 else BASE
            return go(target, draft)
        if step == "review":
            return await submit(request, kind, draft)
        problems = wizard.step_problems(kind, step, draft)
        if step == "user":
            problems += await user_page_problems(draft)
        if problems:
            response = render_step(request, kind, step, draft, errors_of(problems),
                                   {"search": {"name": "", "city": ""}, "results": None})
            wizard.save(response, ctx.sealer, draft, secure)
            return response
        return go(f"{BASE}/{steps[index + 1]}", draft)

    async def user_page_problems(draft: dict[str, Any]) -> reg.Problems:
        """The password rule and the unique user name, checked when leaving the page."""
        problems = [("password", p) for p in password_problems(str(draft.get("password", "")))
                    if draft.get("password")]
        if draft.get("username") and await username_taken(ctx.uows, str(draft["username"])):
            problems.append(("username", "identity.register.username_taken"))
        return problems

    async def submit(request: Request, kind: reg.RegistrationType,
                     draft: dict[str, Any]) -> Response:
        try:
            ctx.limits.register(request)
            done = await registration.submit(ctx.uows, wizard.submission(draft),
                                             ctx.limits.secrets, client_of(request))
        except DomainError as exc:
            exc.field = wizard.form_field(exc.field)
            return render_step(request, kind, "review", draft, FormErrors.from_error(exc))
        response = portal.redirect(f"/identity/register-done?status={done.status}")
        wizard.clear(response)
        return response

    @router.post("/register-attachment", response_class=HTMLResponse)
    async def add_attachment(request: Request) -> Response:
        kind, draft = current(request, "attachments")

        async def sink(filename: str, chunks: AsyncIterator[bytes]) -> attachments.Stored:
            return await attachments.store(ctx.uows, ctx.store, filename, chunks)

        try:
            fields, filename, stored = await stream_form(request, "file", sink,
                                                         portal.csrf_guard(request))
            claim = await attachments.record(ctx.uows, stored, fields.get("description", ""),
                                             "application/octet-stream")
        except DomainError as exc:
            return render_step(request, kind, "attachments", draft, FormErrors.from_error(exc))
        draft.setdefault("attachments", []).append(
            {"claim": claim, "filename": filename, "description": fields["description"].strip()})
        return go(f"{BASE}/attachments", draft)

    @router.get("/register-done", response_class=HTMLResponse)
    async def finished(request: Request,
                       status: Annotated[str, Query(max_length=20)] = "pending") -> HTMLResponse:
        return portal.render(request, "identity/register_done.html", {"status": status})

    return router
