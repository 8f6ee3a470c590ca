"""The broadcasting-certificate wizard's pages: one page per section in the seed's order, with
Back, Next, Save, Validate and Submit, and Load data from Main Station for auxiliary stations.
They call the same handlers as the API (drafts, validation and submission are the framework's).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.licensing.adapters import repository as repo
from services.licensing.context import LicensingContext
from services.licensing.domain.applications.framework import Issue
from services.licensing.domain.broadcasting import forms as f
from services.licensing.domain.broadcasting.spec import NAME, TITLES, applies
from services.licensing.handlers import applications as apps
from services.licensing.handlers import broadcasting as bc
from services.licensing.web.documents import documents_context
from shared.auth import Principal
from shared.errors import DomainError
from shared.web.portal import FormErrors, Portal
from shared.web.portal.forms import FieldError

BASE = "/licensing/broadcasting"
ALWAYS = ("stations", "summary")
AUX_BUTTONS = ("Alternate", "Standby", "IBOC")
# the pages that ask for a file (attestation, letter of intent, PAT file, brief)
DOCUMENT_PAGES = ("main_site", "main_antenna", "attachments", "auxiliary", "summary")


def visible_sections(draft: dict[str, Any]) -> list[str]:
    return [k for k, _ in TITLES if k in ALWAYS or applies(k, draft)]


def _form_name(issue_field: str) -> str:
    return issue_field.replace("[", ".").replace("]", "")


def _errors(issues: list[Issue], section: str) -> FormErrors:
    errors = FormErrors()
    for issue in issues:
        if issue.section == section:
            errors.items.append(FieldError(_form_name(issue.field) or None, issue.message,
                                           code=issue.code))
    return errors


def build_pages(ctx: LicensingContext, portal: Portal) -> APIRouter:
    router = portal.router(BASE)
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]

    async def accounts(who: Principal) -> list[tuple[str, str]]:
        """The accounts this profile acts for (number, legal name); staff type a number."""
        if who.is_staff:
            return []
        async with ctx.uows() as uow:
            numbers = await repo.linked_accounts(uow.session, who.profile_id)
            return [(n, (await repo.account_row(uow.session, n)).legal_name)
                    for n in sorted(numbers) if await repo.account_exists(uow.session, n)]

    @router.get("/new", response_class=HTMLResponse)
    async def new(request: Request, who: SignedIn) -> HTMLResponse:
        mine = await accounts(who)
        values = {"account_number": mine[0][0]} if len(mine) == 1 else {}
        return portal.render(request, "licensing/broadcasting_new.html",
                             {"values": values, "accounts": mine})

    @router.post("/new", response_model=None)
    async def start(request: Request, who: SignedIn) -> Response:
        values = await portal.form(request)
        errors = FormErrors().require(values, "account_number")
        if not errors:
            try:
                async with ctx.uows() as uow:
                    app_id = await apps.create(uow, ctx.families,
                                               ctx.settings.service_standard_days, who,
                                               apps.NewApplication(NAME, values["account_number"]))
                    await uow.commit()
            except DomainError as exc:
                errors = FormErrors.from_error(exc)
        if errors:
            return portal.render(request, "licensing/broadcasting_new.html",
                                 {"values": values, "accounts": await accounts(who)},
                                 status=400, errors=errors)
        return portal.redirect(f"{BASE}/{app_id}/general")

    @router.get("/{app_id}/{section}", response_class=HTMLResponse)
    async def page(request: Request, app_id: str, section: str, who: SignedIn) -> HTMLResponse:
        return await _render(ctx, portal, request, who, app_id, section, None)

    @router.post("/{app_id}/{section}", response_model=None)
    async def act(request: Request, app_id: str, section: str, who: SignedIn) -> Response:
        values = await portal.form(request)
        action = values.get("action", "save")
        try:
            draft = await _save(ctx, who, app_id, section, values)
            if action.startswith("aux:"):
                await _add_auxiliary(ctx, who, app_id, action[4:])
            elif action in ("back", "next"):
                return portal.redirect(f"{BASE}/{app_id}/{_neighbour(draft, section, action)}")
            elif action == "submit":
                async with ctx.uows() as uow:
                    await apps.submit(uow, ctx.families, who, app_id)
                    await uow.commit()
                return portal.redirect(f"{BASE}/{app_id}/summary",
                                       notice="licensing.bc.submitted")
        except DomainError as exc:
            return await _render(ctx, portal, request, who, app_id, section,
                                 FormErrors.from_error(exc), status=exc.status)
        if action == "validate":
            return await _render(ctx, portal, request, who, app_id, section, None, validate=True)
        return portal.redirect(f"{BASE}/{app_id}/{section}", notice="licensing.bc.saved")

    return router


def _neighbour(draft: dict[str, Any], section: str, action: str) -> str:
    keys = visible_sections(draft)
    index = keys.index(section) if section in keys else 0
    step = -1 if action == "back" else 1
    return keys[max(0, min(len(keys) - 1, index + step))]


async def _save(ctx: LicensingContext, who: Principal, app_id: str, section: str,
                values: dict[str, str]) -> dict[str, Any]:
    async with ctx.uows() as uow:
        row = await apps.visible(uow, who, app_id)
        draft = await repo.draft(uow.session, app_id)
        if row.status == "Draft" and section not in ALWAYS and section in dict(TITLES):
            current = draft.get(section, {})
            rows = current.get(f.ROWS[section][0]) if section in f.ROWS else None
            fields = f.fields_for(section, len(rows) if isinstance(rows, list) else 0)
            data = f.parsed(fields, values, current)
            await apps.save_section(uow, ctx.families, who, app_id, section, data)
            draft[section] = data
        await uow.commit()
    return draft


async def _add_auxiliary(ctx: LicensingContext, who: Principal, app_id: str,
                         station_type: str) -> None:
    async with ctx.uows() as uow:
        await bc.load_from_main(uow, ctx.families, who, app_id, station_type)
        await uow.commit()


async def _render(ctx: LicensingContext, portal: Portal, request: Request, who: Principal,
                  app_id: str, section: str, errors: FormErrors | None, *,
                  validate: bool = False, status: int = 200) -> HTMLResponse:
    titles = dict(TITLES)
    if section not in titles:
        raise DomainError("BC-PAGE", "There is no such page in this application.", status=404)
    async with ctx.uows() as uow:
        row = await apps.visible(uow, who, app_id)
        draft = await repo.draft(uow.session, app_id)
        issues = await apps.check(uow, ctx.families, row) if validate else []
    current = draft.get(section, {})
    rows = current.get(f.ROWS[section][0]) if section in f.ROWS else None
    fields = f.fields_for(section, len(rows) if isinstance(rows, list) else 0)
    found = errors or _errors(issues, section)
    by_section: dict[str, int] = {}
    for issue in issues:
        by_section[issue.section] = by_section.get(issue.section, 0) + 1
    context = {
        "app": row, "section": section, "title": titles[section],
        "sections": [(k, titles[k]) for k in visible_sections(draft)],
        "fields": [{"name": x.name, "kind": x.kind, "label": x.label,
                    "options": [("", portal.t(request, "licensing.bc.choose"))]
                    + [(o, _option(portal, request, o)) for o in x.options],
                    "value": f.shown_value(current, x)} for x in fields],
        "validated": validate, "by_section": by_section, "draft": draft,
        "aux_buttons": AUX_BUTTONS if section == "auxiliary" else (),
        "editable": row.status == "Draft", "base": BASE}
    if section in DOCUMENT_PAGES:
        context.update(await documents_context(ctx, portal, request, row, who))
    return portal.render(request, "licensing/broadcasting_section.html", context,
                         status=status if errors else (400 if found else 200), errors=found)


def _option(portal: Portal, request: Request, value: str) -> str:
    key = "licensing.bc.o." + value.lower().replace(" ", "_").replace("/", "_")
    return portal.t(request, key) if portal.catalogue.has(key) else value
