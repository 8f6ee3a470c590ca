"""The reports HTTP API under /api/reports."""


from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import func, select

from services.reports.adapters import tables as t
from shared.auth import Principal
from shared.web.security import require_staff

if TYPE_CHECKING:
    from services.reports.bootstrap import ReportsService


class UploadsByStatus(BaseModel):
    day: str
    status: str
    uploads: int


def build_router(svc: "ReportsService") -> APIRouter:
    router = APIRouter(prefix="/api/reports", tags=["reports"])
    Caller = Annotated[Principal, Depends(svc.principal)]

    @router.get("/operations/uploads-per-day", response_model=list[UploadsByStatus])
    async def uploads_per_day(principal: Caller) -> list[UploadsByStatus]:
        require_staff(principal)
        day = t.upload_log.c.received_day
        async with svc.uows() as uow:
            rows = await uow.session.execute(
                select(day.label("day"), t.upload_log.c.status, func.count().label("n"))
                .group_by("day", t.upload_log.c.status).order_by("day"))
            return [UploadsByStatus(day=r.day, status=r.status, uploads=r.n) for r in rows]

    return router
