"""Applicant pages: my applications (status and clock), the wizard, an account's licences."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.licensing import queries
from services.licensing.adapters import repository as repo
from services.licensing.adapters.areas import area_tree
from services.licensing.context import LicensingContext
from services.licensing.handlers import applications as apps
from services.licensing.handlers.operations import account_view
from services.licensing.web import forms
from services.licensing.web.advice import advice_pages
from services.licensing.web.documents import document_pages, documents_context
from services.licensing.web.licences import licence_pages
from services.licensing.web.officer import officer_pages
from services.licensing.web.public import public_pages
from services.licensing.web.transfers import transfer_pages
from shared.auth import Principal
from shared.errors import DomainError, NotFoundError
from shared.web.portal import FormErrors, Portal

PAGE = 50


def build_pages(ctx: LicensingContext, portal: Portal) -> APIRouter:
    router = portal.router("/licensing")
    SignedIn = Annotated[Principal, Depends(portal.signed_in)]
    standards = ctx.settings.service_standard_days

    async def application(who: Principal, app_id: str) -> tuple[Any, Any]:
        async with ctx.uows() as uow:
            row = await apps.visible(uow, who, app_id)
            part = None if who.is_staff else await apps.party_of(uow, who, row)
            view = await queries.full(uow, ctx.families, row, ctx.clock.now(), part)
        return row, view

    @router.get("/applications", response_class=HTMLResponse)
    async def mine(request: Request, who: SignedIn, offset: int = 0) -> HTMLResponse:
        async with ctx.uows() as uow:
            accounts = await repo.linked_accounts(uow.session, who.profile_id)
            active = await repo.active_account(uow.session, who.profile_id)
            rows, total = await repo.list_applications(uow.session, accounts=accounts,
                                                       filters={}, limit=PAGE,
                                                       offset=max(offset, 0))
        now = ctx.clock.now()
        return portal.render(request, "licensing/applications.html", {
            "items": [queries.summary(r, now) for r in rows], "accounts": accounts,
            "active": active,
            "families": ctx.families.names(),
            "page": {"total": total, "limit": PAGE, "offset": offset}})

    @router.post("/applications/new", response_class=HTMLResponse)
    async def create(request: Request, who: SignedIn) -> Response:
        values = await portal.form(request)
        new = apps.NewApplication(values.get("family", ""), values.get("account_number", ""),
                                  values.get("channel") or "online")
        async with ctx.uows() as uow:
            app_id = await apps.create(uow, ctx.families, standards, who, new)
            await uow.commit()
        first = ctx.families.get(new.family)
        key = first.spec.sections[0].key if first else ""
        return portal.redirect(f"/licensing/applications/{app_id}/step/{key}")

    @router.get("/applications/{app_id}", response_class=HTMLResponse)
    async def show(request: Request, app_id: str, who: SignedIn,
                   validate: bool = False) -> HTMLResponse:
        row, view = await application(who, app_id)
        checked = None
        if validate:
            async with ctx.uows() as uow:
                checked = queries.by_section(ctx.families, row.family,
                                           await apps.check(uow, ctx.families, row))
        return portal.render(request, "licensing/application.html", {
            "app": view, "checked": checked, "staff": who.is_staff,
            **await documents_context(ctx, portal, request, row, who)})

    def step_context(row: Any, key: str, values: dict[str, str]) -> dict[str, Any]:
        family = ctx.families.get(row.family)
        section = family.spec.section(key) if family else None
        if family is None or section is None:
            raise NotFoundError("APP-SECTION", "This application has no such section.")
        keys = family.spec.keys()
        index = keys.index(key)
        return {"app_id": row.id, "family": row.family, "section": section, "values": values,
                "fields": forms.field_kinds(section.fields), "step": index + 1,
                "steps": len(keys), "previous": keys[index - 1] if index else None,
                "next": keys[index + 1] if index + 1 < len(keys) else None}

    @router.get("/applications/{app_id}/step/{key}", response_class=HTMLResponse)
    async def step(request: Request, app_id: str, key: str, who: SignedIn) -> HTMLResponse:
        async with ctx.uows() as uow:
            row = await apps.visible(uow, who, app_id)
            saved = (await repo.draft(uow.session, app_id)).get(key, {})
        context = step_context(row, key, {})
        context["values"] = forms.to_form(context["section"], saved)
        context.update(await documents_context(ctx, portal, request, row, who))
        return portal.render(request, "licensing/step.html", context)

    @router.post("/applications/{app_id}/step/{key}", response_class=HTMLResponse)
    async def save(request: Request, app_id: str, key: str, who: SignedIn) -> Response:
        values = await portal.form(request)
        async with ctx.uows() as uow:
            row = await apps.visible(uow, who, app_id)
        context = step_context(row, key, values)
        try:
            data = forms.to_data(context["section"], values)
            async with ctx.uows() as uow:
                await apps.save_section(uow, ctx.families, who, app_id, key, data)
                await uow.commit()
        except ValueError:
            errors = FormErrors().add("data_json", "licensing.step.bad_json")
            return portal.render(request, "licensing/step.html", context, status=400,
                                 errors=errors)
        except DomainError as exc:
            return portal.render(request, "licensing/step.html", context, status=exc.status,
                                 errors=FormErrors.from_error(exc))
        go = values.get("go", "save")
        target = {"next": context["next"], "back": context["previous"]}.get(go)
        if target:
            return portal.redirect(f"/licensing/applications/{app_id}/step/{target}")
        suffix = "?validate=1" if go == "validate" else ""
        return portal.redirect(f"/licensing/applications/{app_id}{suffix}",
                               notice="licensing.notice.saved")

    @router.post("/applications/{app_id}/submit", response_class=HTMLResponse)
    async def submit(request: Request, app_id: str, who: SignedIn) -> Response:
        await portal.form(request)
        async with ctx.uows() as uow:
            await apps.submit(uow, ctx.families, who, app_id)
            await uow.commit()
        return portal.redirect(f"/licensing/applications/{app_id}",
                               notice="licensing.notice.submitted")

    @router.post("/applications/{app_id}/answer", response_class=HTMLResponse)
    async def answer(request: Request, app_id: str, who: SignedIn) -> Response:
        values = await portal.form(request)
        async with ctx.uows() as uow:
            await apps.answer(uow, who, app_id, values.get("text", ""))
            await uow.commit()
        return portal.redirect(f"/licensing/applications/{app_id}",
                               notice="licensing.notice.answered")

    @router.get("/accounts", response_class=HTMLResponse)
    async def accounts(request: Request, who: SignedIn,
                       number: Annotated[str | None, Query(max_length=20)] = None) -> Response:
        """The licences of the account the profile acts for (its only one, or the one it
        chose); otherwise its accounts to pick from. Staff look an account up by number."""
        async with ctx.uows() as uow:
            linked = [] if who.is_staff else await repo.linked_accounts(uow.session,
                                                                        who.profile_id)
            active = None if who.is_staff else await repo.active_account(uow.session,
                                                                         who.profile_id)
        chosen = (number.strip() if number and number.strip() else None) or (
            active if active in linked else (linked[0] if len(linked) == 1 else None))
        if chosen:
            return RedirectResponse(f"/licensing/accounts/{quote(chosen, safe='')}",
                                    status_code=303)
        return portal.render(request, "licensing/accounts.html", {"accounts": sorted(linked)})

    @router.get("/accounts/{account_number}", response_class=HTMLResponse)
    async def account(request: Request, account_number: str, who: SignedIn) -> HTMLResponse:
        async with ctx.uows() as uow:
            row = await account_view(uow, who, account_number)
            licences = await repo.account_licences(uow.session, account_number)
            tree = await area_tree(uow.session)
            invoices = await repo.account_invoices(uow.session, account_number)
        today = ctx.clock.today()
        return portal.render(request, "licensing/account.html", {
            "account": row, "licences": licences, "invoices": [
                queries.invoice_view(i, today) for i in invoices],
            "areas": {x.licence_number: {"held": tree.label(x.service_area), "less": [
                tree.label(c) for c in dict(x.details or {}).get("excluded_areas", [])]}
                for x in licences}})

    router.include_router(officer_pages(ctx, portal))
    router.include_router(document_pages(ctx, portal))
    router.include_router(licence_pages(ctx, portal))
    router.include_router(transfer_pages(ctx, portal))
    router.include_router(public_pages(ctx, portal))
    router.include_router(advice_pages(ctx, portal))
    return router
