"""The registry's HTTP API: accounts, authorizations, invoices, operations, reference data."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select

from services.licensing.adapters import tables as t
from services.licensing.adapters.areas import area_tree, geometry
from services.licensing.api import schemas as s
from services.licensing.context import LicensingContext
from services.licensing.domain.commercial_mobile import is_commercial_mobile
from services.licensing.domain.reference import equipment_list
from services.licensing.handlers import invoices, operations
from services.licensing.handlers.applications import require_right
from services.licensing.handlers.registry import licence_row
from services.licensing.handlers.review import require_staff
from services.licensing.queries import InvoiceView, invoice_view
from shared.auth import Principal
from shared.errors import NotFoundError
from shared.web.paging import Page, Paging


def _licence(row: Any) -> s.LicenceView:
    details = dict(row.details or {})
    mobile = row.kind == "spectrum" and is_commercial_mobile(row.frequency_blocks or [])
    return s.LicenceView.model_validate({**dict(row._mapping), "commercial_mobile": mobile,
                                         "excluded_areas": details.get("excluded_areas", [])})


def _page(items: list[Any], total: int, paging: Any) -> Page[Any]:
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


def build_router(ctx: LicensingContext) -> APIRouter:
    router = APIRouter(prefix="/api/licensing", tags=["licensing registry"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    async def paged(query: Any, paging: Any, order: Any) -> tuple[list[Any], int]:
        async with ctx.uows() as uow:
            total = (await uow.session.execute(select(func.count()).select_from(
                query.subquery()))).scalar()
            rows = (await uow.session.execute(query.order_by(order).limit(paging.limit)
                                              .offset(paging.offset))).all()
        return list(rows), int(total or 0)

    @router.get("/accounts/{account_number}", response_model=s.AccountView)
    async def account(account_number: str, who: Caller) -> s.AccountView:
        async with ctx.uows() as uow:
            row = await operations.account_view(uow, who, account_number)
        view = s.AccountView.model_validate(dict(row._mapping))
        return view if who.is_staff else view.model_copy(update={"secret_issued_by": None})

    @router.put("/accounts/{account_number}/contacts", response_model=s.AccountView)
    async def contacts(account_number: str, body: s.ContactsIn, who: Caller) -> s.AccountView:
        async with ctx.uows() as uow:
            await operations.change_contacts(uow, who, account_number,
                                             body.model_dump(exclude_none=True))
            await uow.commit()
        return await account(account_number, who)

    @router.post("/accounts/{account_number}/secret", status_code=204)
    async def reissue(account_number: str, who: Caller) -> None:
        async with ctx.uows() as uow:
            await operations.reissue_secret(uow, ctx.box, who, account_number)
            await uow.commit()

    @router.get("/accounts/{account_number}/licences", response_model=Page[s.LicenceView])
    async def authorizations(account_number: str, who: Caller,
                             paging: Paging) -> Page[s.LicenceView]:
        async with ctx.uows() as uow:
            await require_right(uow, who, account_number, "view")
        query = select(t.licences).where(t.licences.c.account_number == account_number)
        rows, total = await paged(query, paging, t.licences.c.licence_number)
        return _page([_licence(r) for r in rows], total, paging)

    @router.get("/accounts/{account_number}/invoices", response_model=Page[InvoiceView])
    async def account_invoices(account_number: str, who: Caller,
                               paging: Paging) -> Page[InvoiceView]:
        async with ctx.uows() as uow:
            await require_right(uow, who, account_number, "view")
        query = select(t.invoices).where(t.invoices.c.account_number == account_number)
        rows, total = await paged(query, paging, t.invoices.c.invoice_number)
        return _page([invoice_view(r, ctx.clock.today()) for r in rows], total, paging)

    @router.get("/licences/{number}", response_model=s.LicenceView)
    async def licence(number: str, who: Caller) -> s.LicenceView:
        async with ctx.uows() as uow:
            row = await licence_row(uow.session, number)
            await require_right(uow, who, row.account_number, "view")
        return _licence(row)

    @router.get("/available-spectrum", response_model=Page[s.LicenceView])
    async def available(_: Caller, paging: Paging) -> Page[s.LicenceView]:
        """Returned spectrum published with a call for expressions of interest (5.7)."""
        query = select(t.licences).where(t.licences.c.published_for_eoi.is_(True))
        rows, total = await paged(query, paging, t.licences.c.licence_number)
        return _page([_licence(r) for r in rows], total, paging)

    @router.post("/licences/{number}/return", response_model=s.LicenceView)
    async def give_back(number: str, body: s.ReturnIn, who: Caller) -> s.LicenceView:
        async with ctx.uows() as uow:
            await operations.return_licence(uow, who, number, body.reason)
            await uow.commit()
        return await licence(number, who)

    @router.post("/licences/{number}/status", response_model=s.LicenceView)
    async def status(number: str, body: s.StatusIn, who: Caller) -> s.LicenceView:
        async with ctx.uows() as uow:
            await operations.change_status(uow, who, number, body.status, body.reason)
            await uow.commit()
        return await licence(number, who)

    @router.post("/licences/{number}/conditions", response_model=s.LicenceView)
    async def conditions(number: str, body: s.ConditionsIn, who: Caller) -> s.LicenceView:
        async with ctx.uows() as uow:
            await operations.amend_conditions(uow, who, number, body.conditions, body.reason)
            await uow.commit()
        return await licence(number, who)

    @router.post("/licences/{number}/renew", response_model=list[str])
    async def renew(number: str, body: s.RenewIn, who: Caller) -> list[str]:
        async with ctx.uows() as uow:
            renewed = await operations.renew(uow, who, number, body.years,
                                             conditions=body.conditions,
                                             refuse_reason=body.refuse_reason,
                                             window_days=ctx.settings.renewal_window_days,
                                             by_invoice=ctx.settings.renew_by_invoice)
            await uow.commit()
        return renewed

    @router.post("/invoices/renewals", response_model=list[str])
    async def renewals(body: s.RenewalsIn, who: Caller) -> list[str]:
        require_staff(who)
        async with ctx.uows() as uow:
            issued = await invoices.issue_renewals(
                uow, ctx.billing, body.fiscal_year, by_invoice=ctx.settings.renew_by_invoice,
                window_days=ctx.settings.renewal_window_days)
            await uow.commit()
        return issued

    @router.get("/reference/service-areas", response_model=Page[s.ServiceAreaView])
    async def areas(_: Caller, paging: Paging, tier: int | None = None,
                    parent: Annotated[str | None, Query(max_length=20)] = None,
                    q: Annotated[str, Query(max_length=100)] = "") -> Page[s.ServiceAreaView]:
        """The service-area hierarchy in use (ISED's full set once loaded, else the sample)."""
        async with ctx.uows() as uow:
            tree = await area_tree(uow.session)
        found = [s.ServiceAreaView(**vars(a)) for a in tree.all()
                 if (tier is None or a.tier == tier) and (parent is None or a.parent == parent)
                 and q.lower() in f"{a.code} {a.name}".lower()]
        return _page(found[paging.offset:paging.offset + paging.limit], len(found), paging)

    @router.get("/reference/service-areas/{code}", response_model=s.ServiceAreaDetail)
    async def area(code: str, _: Caller) -> s.ServiceAreaDetail:
        async with ctx.uows() as uow:
            tree = await area_tree(uow.session)
            shape = await geometry(uow.session, code[:20])
        found = tree.get(code[:20])
        if found is None:
            raise NotFoundError("GEO-AREA-NOT-FOUND", f"There is no service area {code[:20]}.",
                                fix="List the areas at /api/licensing/reference/service-areas.")
        return s.ServiceAreaDetail(**vars(found), lineage=tree.lineage(found.code)[1:],
                                   children=sorted(a.code for a in tree.all()
                                                   if a.parent == found.code),
                                   geometry=shape)

    @router.get("/reference/equipment", response_model=Page[dict[str, Any]])
    async def equipment(_: Caller, paging: Paging, q: str = "") -> Page[dict[str, Any]]:
        found = [vars(e) for e in equipment_list().values()
                 if q.lower() in f"{e.certification_number} {e.manufacturer} {e.model}".lower()]
        return _page(found[paging.offset:paging.offset + paging.limit], len(found), paging)

    return router
