"""The broadcasting wizard's own routes under /api/licensing/broadcasting: call-sign, transmitter
and station lookups, the calculators, the certificate on file, a modification pre-filled from
it and an auxiliary station loaded from the main one. Drafts, Validate, Submit and the officer's
decision are the application framework's routes (/api/licensing/applications)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from services.licensing.adapters.broadcasting_tables import broadcasting_certificates
from services.licensing.context import LicensingContext
from services.licensing.domain.broadcasting import calculators as calc
from services.licensing.domain.broadcasting import callsigns as cs
from services.licensing.domain.broadcasting.main import SERVICES
from services.licensing.handlers import broadcasting as bc
from shared.auth import Principal
from shared.errors import DomainError
from shared.web.paging import Page, Paging


class Lookup(BaseModel):
    call_sign: str
    service: str
    frequency: float
    city: str
    province: str


class CallSignView(BaseModel):
    call_sign: str
    services: list[str]
    in_use: bool
    available: bool


class TransmitterView(BaseModel):
    id: str
    company: str
    hvin: str
    service: str
    rated_power_w: float


class ChannelView(BaseModel):
    service: str
    frequency: float
    channel: float


class PowerIn(BaseModel):
    erp_max_h: float = Field(ge=0, le=1_000_000, allow_inf_nan=False)
    erp_max_v: float = Field(ge=0, le=1_000_000, allow_inf_nan=False)
    gains: dict[str, Annotated[float, Field(ge=-30, le=30, allow_inf_nan=False)]] = {}


class PrefillIn(BaseModel):
    certificate_number: str = Field(max_length=9)
    purpose: str = Field(default="Change of facilities", max_length=60)


class AuxiliaryIn(BaseModel):
    station_type: str = Field(max_length=20)


def _page(items: list[Any], paging: Any) -> Page[Any]:
    return Page(items=items[paging.offset:paging.offset + paging.limit], total=len(items),
                limit=paging.limit, offset=paging.offset)


def build_router(ctx: LicensingContext) -> APIRouter:
    router = APIRouter(prefix="/api/licensing/broadcasting", tags=["broadcasting certificates"])
    Caller = Annotated[Principal, Depends(ctx.principal)]
    catalogue = bc.CATALOGUE

    @router.get("/call-signs", response_model=Page[str])
    async def available(_: Caller, paging: Paging,
                        service: Annotated[str | None, Query(max_length=5)] = None) -> Page[str]:
        async with ctx.uows() as uow:
            now = await bc.catalogue_now(uow, catalogue)
        return _page(now.available_signs(service), paging)

    @router.get("/call-signs/{call_sign}", response_model=CallSignView)
    async def call_sign(call_sign: str, _: Caller) -> CallSignView:
        async with ctx.uows() as uow:
            now = await bc.catalogue_now(uow, catalogue)
        sign = cs.normalized(call_sign[:20])
        return CallSignView(call_sign=sign, services=[s for s in SERVICES if cs.valid_for(s, sign)],
                            in_use=now.in_use(sign), available=sign in now.available_signs())

    @router.get("/transmitters", response_model=Page[TransmitterView])
    async def transmitters(_: Caller, paging: Paging,
                           hvin: Annotated[str, Query(max_length=40)] = "",
                           company: Annotated[str, Query(max_length=100)] = "",
                           ) -> Page[TransmitterView]:
        found = [TransmitterView(**t.view()) for t in catalogue.find_transmitters(hvin, company)]
        return _page(found, paging)

    @router.get("/stations", response_model=Page[Lookup])
    async def stations(_: Caller, paging: Paging, q: Annotated[str, Query(max_length=40)] = "",
                       service: Annotated[str, Query(max_length=5)] = "") -> Page[Lookup]:
        found = [Lookup(**st.view()) for st in catalogue.find_stations(q, service)]
        async with ctx.uows() as uow:
            rows = await uow.session.execute(select(broadcasting_certificates))
            found += [Lookup(call_sign=r.call_sign, service=r.service, frequency=r.frequency,
                             city=str(r.record.get("main_site", {}).get("city", "")),
                             province=str(r.record.get("main_parameters", {}).get("province", "")))
                      for r in rows if q.strip().upper() in r.call_sign
                      and (not service or r.service == service)]
        return _page(found, paging)

    router.include_router(_calculators(Caller))
    router.include_router(_wizard(ctx, Caller))
    return router


def _calculators(Caller: Any) -> APIRouter:
    router = APIRouter(prefix="/calculate")

    @router.get("/channel", response_model=ChannelView)
    async def channel(_: Caller, service: Annotated[str, Query(max_length=5)],
                      frequency: Annotated[float | None, Query(gt=0, le=100_000)] = None,
                      channel: Annotated[int | None, Query(ge=0, le=100_000)] = None,
                      ) -> ChannelView:
        """FM: channel from frequency (or frequency from channel); DTV: frequency from
        channel; AM: the same value."""
        result: tuple[float | None, float | None] = (None, None)
        if service == "FM" and frequency is not None:
            result = (frequency, calc.fm_channel(frequency))
        elif service == "FM" and channel is not None:
            result = (calc.fm_frequency(channel), channel)
        elif service == "DTV" and channel is not None:
            result = (calc.dtv_frequency(channel), channel)
        elif service == "AM" and frequency is not None and calc.am_frequency_valid(frequency):
            result = (frequency, frequency)
        mhz, found = result
        if found is None or mhz is None:
            raise DomainError("BC-CALCULATE", "Nothing to calculate from these values.",
                              fix="FM: a frequency 88.1-107.9 MHz or a channel 201-300; "
                              "DTV: a channel 2-36; "
                              "AM: a frequency 530-1700 kHz.")
        return ChannelView(service=service, frequency=mhz, channel=found)

    @router.get("/line-efficiency")
    async def efficiency(_: Caller, loss: Annotated[float, Query(ge=0, le=100)],
                         length: Annotated[float, Query(gt=0, le=100_000)]) -> dict[str, float]:
        return {"efficiency": calc.line_efficiency(loss, length)}

    @router.post("/power-values")
    async def power(_: Caller, body: PowerIn) -> dict[str, float]:
        values = calc.power_values(body.erp_max_h, body.erp_max_v, body.gains)
        return {"erp_max_h": values.erp_max_h, "erp_max_v": values.erp_max_v,
                "erp_avg_h": values.erp_avg_h, "erp_avg_v": values.erp_avg_v}

    return router


def _wizard(ctx: LicensingContext, Caller: Any) -> APIRouter:
    router = APIRouter()

    @router.get("/certificates/{number}")
    async def certificate(number: str, who: Caller) -> dict[str, Any]:
        async with ctx.uows() as uow:
            row = await bc.certificate(uow, who, number[:9])
        return {"licence_number": row.licence_number, "account_number": row.account_number,
                "call_sign": row.call_sign, "service": row.service, "frequency": row.frequency,
                "channel": row.channel, "record": row.record}

    @router.post("/applications/{application_id}/prefill")
    async def prefill(application_id: str, body: PrefillIn, who: Caller) -> dict[str, Any]:
        async with ctx.uows() as uow:
            sections = await bc.prefill(uow, ctx.families, who, application_id,
                                        body.certificate_number, body.purpose)
            await uow.commit()
        return {"sections": sections}

    @router.post("/applications/{application_id}/auxiliary", status_code=201)
    async def auxiliary(application_id: str, body: AuxiliaryIn, who: Caller) -> dict[str, Any]:
        async with ctx.uows() as uow:
            station = await bc.load_from_main(uow, ctx.families, who, application_id,
                                              body.station_type)
            await uow.commit()
        return station

    return router
