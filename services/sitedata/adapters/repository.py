"""Queries and writes on the sitedata schema, used by the handlers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.sitedata.adapters import tables as t
from services.sitedata.domain.upload import ENDED, LicenceRecord, Stage
from shared.db.engine import Reader


async def may_act_for(session: AsyncSession, profile_id: str, right: str = "upload") -> set[str]:
    rows = await session.execute(select(t.rm_access.c.account_number, t.rm_access.c.rights)
                                 .where(t.rm_access.c.profile_id == profile_id))
    return {row.account_number for row in rows if right in row.rights.split(",")}


async def active_account(session: AsyncSession, profile_id: str) -> str | None:
    """The account the profile chose to act for, as identity last told (None: not chosen)."""
    return (await session.execute(select(t.rm_active_accounts.c.account_number).where(
        t.rm_active_accounts.c.profile_id == profile_id))).scalar()


async def licence_record(session: Reader, licence: str) -> LicenceRecord | None:
    row = (await session.execute(select(t.rm_licences).where(
        t.rm_licences.c.licence_number == licence))).first()
    if row is None:
        return None
    return LicenceRecord(row.licence_number, row.account_number, row.status, row.expires_on)


async def licences_of_accounts(session: AsyncSession, accounts: Sequence[str]) -> list[str]:
    rows = await session.execute(select(t.rm_licences.c.licence_number).where(
        t.rm_licences.c.account_number.in_(list(accounts)), t.rm_licences.c.kind == "spectrum"))
    return [row.licence_number for row in rows]


async def username(session: AsyncSession, profile_id: str) -> str:
    row = (await session.execute(select(t.rm_profiles.c.username).where(
        t.rm_profiles.c.profile_id == profile_id))).first()
    return row.username if row else profile_id


async def get_upload(session: Reader, upload_id: str) -> Row[Any] | None:
    return (await session.execute(select(t.uploads).where(t.uploads.c.id == upload_id))).first()


async def pending_uploads(session: Reader) -> list[tuple[str, str, frozenset[str]]]:
    rows = await session.execute(
        select(t.uploads.c.id, t.uploads.c.stage, t.uploads.c.accounts)
        .where(t.uploads.c.stage.in_([Stage.RECEIVED.value, Stage.VALIDATED.value]))
        .order_by(t.uploads.c.seq))
    return [(r.id, r.stage, frozenset(a for a in r.accounts.split(",") if a)) for r in rows]


async def claim_for_apply(session: AsyncSession, upload_id: str, values: dict[str, Any]) -> bool:
    """Move a validated upload to applied; False if another worker got there first."""
    result = await session.execute(
        update(t.uploads).where(t.uploads.c.id == upload_id,
                                t.uploads.c.stage == Stage.VALIDATED.value).values(**values))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


async def upload_licences(session: AsyncSession, upload_id: str) -> list[Row[Any]]:
    rows = await session.execute(select(t.upload_licences).where(
        t.upload_licences.c.upload_id == upload_id).order_by(t.upload_licences.c.licence_number))
    return list(rows)


async def ended_among(session: Reader, upload_ids: Sequence[str]) -> list[str]:
    """Which of these uploads have ended (applied, or rejected with Errors Found)."""
    rows = await session.execute(select(t.uploads.c.id).where(
        t.uploads.c.id.in_(list(upload_ids)),
        t.uploads.c.stage.in_([stage.value for stage in ENDED])))
    return [row.id for row in rows]
