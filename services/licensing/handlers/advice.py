"""Requests for informal advice before a transfer agreement (5.6.2 xiii): a licensee asks,
an officer answers (or declines); only the requesting account's profiles and ISED staff see a
request, and nothing of it is published."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import func, insert, select, update

from services.licensing.adapters import repository as repo
from services.licensing.adapters import tables as t
from services.licensing.adapters.transfer_tables import advice_requests as adv
from services.licensing.domain import advice as a
from services.licensing.handlers.applications import require_right
from services.licensing.handlers.review import require_staff
from shared.auth import Principal
from shared.errors import DomainError, NotFoundError
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()


async def create(uow: UnitOfWork, who: Principal, values: dict[str, Any]) -> str:
    request = a.parse(values)
    await repo.account_row(uow.session, request.account_number)
    await require_right(uow, who, request.account_number, "prepare")
    if request.licence_numbers:
        held = set((await uow.session.execute(select(t.licences.c.licence_number).where(
            t.licences.c.licence_number.in_(request.licence_numbers),
            t.licences.c.account_number == request.account_number))).scalars())
        missing = [n for n in request.licence_numbers if n not in held]
        if missing:
            raise DomainError("ADV-LICENCES", f"Not a licence of account "
                              f"{request.account_number}: {', '.join(missing)}.",
                              field="licence_numbers", status=422)
    advice_id = str(uow.ids.new())
    await uow.session.execute(insert(adv).values(
        id=advice_id, account_number=request.account_number, profile_id=who.profile_id,
        kind=request.kind, other_party=request.other_party,
        licence_numbers=list(request.licence_numbers), description=request.description,
        questions=request.questions, status=a.OPEN, created_at=uow.clock.now(), answer=""))
    log.info("advice.requested", advice=advice_id, account=request.account_number)
    return advice_id


async def visible(uow: UnitOfWork, who: Principal, advice_id: str) -> Any:
    """The request, for the requesting account's profiles (``view``) and staff; 404 else."""
    row = (await uow.session.execute(select(adv).where(adv.c.id == advice_id))).first()
    if row is None or not (who.is_staff or "view" in await repo.rights(
            uow.session, who.profile_id, row.account_number)):
        raise NotFoundError("ADV-NOT-FOUND", "There is no such request for advice for this "
                            "web profile.")
    return row


async def listed(uow: UnitOfWork, who: Principal, status: str | None, limit: int,
                 offset: int) -> tuple[list[Any], int]:
    """The caller's accounts' requests (staff: everyone's), oldest open first."""
    query = select(adv)
    if not who.is_staff:
        query = query.where(adv.c.account_number.in_(
            await repo.linked_accounts(uow.session, who.profile_id)))
    if status:
        query = query.where(adv.c.status == status)
    total = (await uow.session.execute(select(func.count()).select_from(query.subquery()))
             ).scalar()
    rows = await uow.session.execute(query.order_by(adv.c.created_at, adv.c.id)
                                     .limit(limit).offset(offset))
    return list(rows), int(total or 0)


async def answer(uow: UnitOfWork, who: Principal, advice_id: str, text: str,
                 decline: bool = False) -> None:
    """An officer gives the advice (always non-binding), or declines to give it."""
    require_staff(who)
    row = await visible(uow, who, advice_id)
    a.require_open(row.status)
    if not text.strip():
        raise DomainError("ADV-ANSWER-EMPTY", "Write the advice, or why ISED declines to give "
                          "it.", field="answer", status=422)
    await uow.session.execute(update(adv).where(adv.c.id == advice_id).values(
        status=a.DECLINED if decline else a.ANSWERED, answer=text.strip()[:10000],
        answered_at=uow.clock.now(), answered_by=who.profile_id))


async def withdraw(uow: UnitOfWork, who: Principal, advice_id: str) -> None:
    row = await visible(uow, who, advice_id)
    a.require_open(row.status)
    await require_right(uow, who, row.account_number, "prepare")
    await uow.session.execute(update(adv).where(adv.c.id == advice_id).values(
        status=a.WITHDRAWN))
