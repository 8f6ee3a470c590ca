"""Commercial mobile transfers over HTTP: the officer's concentration review, and what is
public by design (no sign-in): the published summaries of decisions (5.6.2 x) and returned
spectrum announced for expressions of interest (5.7)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from services.licensing.context import LicensingContext
from services.licensing.domain import conditions
from services.licensing.handlers import transfers
from services.licensing.handlers.public import returned_spectrum
from services.licensing.queries import affiliates
from shared.auth import Principal
from shared.web.paging import Page, Paging

Accounts = Annotated[str, Query(max_length=500)]


class TallyView(BaseModel):
    licensee_mhz: float
    transferee_mhz: float
    total_mhz: float
    licensee_share: float
    transferee_share: float


class RowView(BaseModel):
    band: str  # a band's name, or "*" for every commercial mobile band together
    area: str
    before: TallyView
    after: TallyView
    licences: list[str]


class PartyView(BaseModel):
    account_number: str
    legal_name: str


class ConcentrationView(BaseModel):
    application_id: str
    number: str | None
    family: str
    kind: str
    commercial_mobile: bool
    licensee_group: list[PartyView]
    transferee_group: list[PartyView]
    rows: list[RowView]
    pending: list[dict[str, str]]


class DecisionSummaryView(BaseModel):
    number: str
    family: str
    kind: str
    decision: str
    decided_on: date
    licensee: str
    other_party: str
    licences: list[dict[str, Any]]
    summary: str


class AvailableSpectrumView(BaseModel):
    licence_number: str
    frequency_blocks: list[str]
    service_area: str
    area_name: str
    band: str
    returned_on: str | None
    conditions: list[str]


def tally(t: Any) -> TallyView:
    return TallyView(licensee_mhz=t.licensee, transferee_mhz=t.transferee, total_mhz=t.total,
                     licensee_share=t.share(t.licensee), transferee_share=t.share(t.transferee))


def report_view(r: transfers.ConcentrationReport) -> ConcentrationView:
    return ConcentrationView(
        application_id=r.application_id, number=r.number, family=r.family, kind=r.kind,
        commercial_mobile=r.commercial_mobile,
        licensee_group=[PartyView(account_number=a, legal_name=n) for a, n in r.licensee],
        transferee_group=[PartyView(account_number=a, legal_name=n) for a, n in r.transferee],
        rows=[RowView(band=x.band, area=x.area, before=tally(x.before), after=tally(x.after),
                      licences=x.licences) for x in r.rows],
        pending=[{"number": n, "family": f} for n, f in r.pending])


def build_router(ctx: LicensingContext) -> APIRouter:
    router = APIRouter(prefix="/api/licensing", tags=["licensing transfers"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    @router.get("/applications/{application_id}/concentration",
                response_model=ConcentrationView,
                summary="Staff: holdings of the applicants' groups before and after (5.6.4.2)")
    async def concentration(application_id: str, who: Caller, licensee_affiliates: Accounts = "",
                            transferee_affiliates: Accounts = "") -> ConcentrationView:
        async with ctx.uows() as uow:
            report = await transfers.concentration(
                uow, who, application_id, conditions.load(ctx.settings.conditions_file),
                (affiliates(licensee_affiliates), affiliates(transferee_affiliates)))
        return report_view(report)

    @router.get("/public/transfer-decisions", response_model=Page[DecisionSummaryView],
                summary="Public: summaries of decisions on commercial mobile transfers")
    async def decisions(paging: Paging) -> Page[DecisionSummaryView]:
        async with ctx.uows.reading() as db:
            rows, total = await transfers.published(db, paging.limit, paging.offset)
        return Page(items=[DecisionSummaryView.model_validate(r, from_attributes=True)
                           for r in rows], total=total, limit=paging.limit, offset=paging.offset)

    @router.get("/public/available-spectrum", response_model=Page[AvailableSpectrumView],
                summary="Public: returned spectrum, with a call for expressions of interest")
    async def available(paging: Paging, lang: Annotated[str, Query(pattern="^(en|fr)$")] = "en",
                        ) -> Page[AvailableSpectrumView]:
        async with ctx.uows.reading() as db:
            items, total = await returned_spectrum(
                db, conditions.load(ctx.settings.conditions_file), lang, paging.limit,
                paging.offset)
        return Page(items=[AvailableSpectrumView(**vars(i)) for i in items], total=total,
                    limit=paging.limit, offset=paging.offset)

    return router
