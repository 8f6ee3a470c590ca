"""Requests for informal advice before a transfer agreement (5.6.2 xiii) over HTTP."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from services.licensing.context import LicensingContext
from services.licensing.domain import advice as a
from services.licensing.handlers import advice as h
from shared.auth import Principal
from shared.web.paging import Page, Paging


class AdviceIn(BaseModel):
    account_number: str = Field(max_length=20)
    kind: str = Field(max_length=20)
    other_party: str = Field(max_length=200)
    licence_numbers: list[str] = Field(default=[], max_length=50)
    description: str = Field(max_length=10000)
    questions: str = Field(max_length=5000)


class AnswerIn(BaseModel):
    answer: str = Field(max_length=10000)
    decline: bool = False


class AdviceView(BaseModel):
    id: str
    account_number: str
    kind: str
    other_party: str
    licence_numbers: list[str]
    description: str
    questions: str
    status: str
    created_at: datetime
    answered_at: datetime | None
    answer: str
    binding: bool = False
    note: str = a.NOT_BINDING


def view(row: Any) -> AdviceView:
    return AdviceView.model_validate(row, from_attributes=True)


def build_router(ctx: LicensingContext) -> APIRouter:
    router = APIRouter(prefix="/api/licensing/advice-requests",
                       tags=["licensing informal advice"])
    Caller = Annotated[Principal, Depends(ctx.principal)]

    @router.post("", status_code=201, response_model=AdviceView,
                 summary="Ask for informal, non-binding advice before an agreement")
    async def ask(body: AdviceIn, who: Caller) -> AdviceView:
        async with ctx.uows() as uow:
            advice_id = await h.create(uow, who, body.model_dump())
            await uow.commit()
        return await one(advice_id, who)

    @router.get("", response_model=Page[AdviceView])
    async def listing(who: Caller, paging: Paging,
                      status: Annotated[str | None, Query(max_length=20)] = None,
                      ) -> Page[AdviceView]:
        async with ctx.uows() as uow:
            rows, total = await h.listed(uow, who, status, paging.limit, paging.offset)
        return Page(items=[view(r) for r in rows], total=total, limit=paging.limit,
                    offset=paging.offset)

    @router.get("/{advice_id}", response_model=AdviceView)
    async def one(advice_id: str, who: Caller) -> AdviceView:
        async with ctx.uows() as uow:
            return view(await h.visible(uow, who, advice_id))

    @router.post("/{advice_id}/answer", response_model=AdviceView,
                 summary="Staff: give the advice, or decline to")
    async def answer(advice_id: str, body: AnswerIn, who: Caller) -> AdviceView:
        async with ctx.uows() as uow:
            await h.answer(uow, who, advice_id, body.answer, body.decline)
            await uow.commit()
        return await one(advice_id, who)

    @router.post("/{advice_id}/withdraw", response_model=AdviceView)
    async def withdraw(advice_id: str, who: Caller) -> AdviceView:
        async with ctx.uows() as uow:
            await h.withdraw(uow, who, advice_id)
            await uow.commit()
        return await one(advice_id, who)

    return router
