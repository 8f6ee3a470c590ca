"""Read queries behind the API and the pages (lists page: rows and a total)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.adapters import tables as t
from shared.db.engine import Reader

Rows = tuple[Sequence[Any], int]


async def _page(session: AsyncSession, query: Select[Any], limit: int, offset: int) -> Rows:
    total = (await session.execute(select(func.count()).select_from(query.subquery()))
             ).scalar_one()
    rows = (await session.execute(query.limit(limit).offset(offset))).all()
    return rows, int(total)


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search_licensees(session: AsyncSession, name: str, city: str | None, limit: int,
                           offset: int) -> Rows:
    accounts = t.rm_accounts.c
    query = select(accounts.account_number, accounts.legal_name, accounts.city,
                   accounts.province).where(
        func.lower(accounts.legal_name).like(_like(name), escape="\\"))
    if city and city.strip():
        query = query.where(func.lower(accounts.city).like(_like(city), escape="\\"))
    return await _page(session, query.order_by(accounts.legal_name, accounts.account_number),
                       limit, offset)


def _registrations() -> Select[Any]:
    return select(t.registrations, t.profiles.c.username, t.profiles.c.email).join(
        t.profiles, t.profiles.c.id == t.registrations.c.profile_id)


async def queue(session: AsyncSession, offices: list[str], statuses: list[str], limit: int,
                offset: int) -> Rows:
    query = _registrations().where(t.registrations.c.office.in_(offices),
                                   t.registrations.c.status.in_(statuses))
    return await _page(session, query.order_by(t.registrations.c.submitted_at), limit, offset)


async def registration(session: AsyncSession, registration_id: str) -> Any:
    return (await session.execute(_registrations().where(
        t.registrations.c.id == registration_id))).first()


async def registrations_of(session: AsyncSession, profile_id: str, limit: int,
                           offset: int) -> Rows:
    query = _registrations().where(t.registrations.c.profile_id == profile_id)
    return await _page(session, query.order_by(t.registrations.c.submitted_at.desc()), limit,
                       offset)


async def attachments_of(session: AsyncSession, registration_id: str) -> Sequence[Any]:
    return (await session.execute(select(t.attachments).where(
        t.attachments.c.registration_id == registration_id).order_by(
        t.attachments.c.created_at))).all()


async def links(session: Reader, profile_id: str) -> Sequence[Any]:
    return (await session.execute(select(t.profile_accounts, t.rm_accounts.c.legal_name).join(
        t.rm_accounts, t.rm_accounts.c.account_number == t.profile_accounts.c.account_number,
        isouter=True).where(t.profile_accounts.c.profile_id == profile_id).order_by(
        t.profile_accounts.c.account_number))).all()


async def me(session: Reader, profile_id: str) -> tuple[Any | None, list[Any]]:
    """The profile and its accounts in one query (``/api/identity/me`` is read on every page):
    the profile's row, or None, and one row per account it holds."""
    p, links, accounts = t.profiles, t.profile_accounts, t.rm_accounts
    rows = (await session.execute(
        select(p.c.email, p.c.name, p.c.active_account, p.c.totp_enabled,
               links.c.account_number, links.c.relation, links.c.rights, accounts.c.legal_name)
        .select_from(p)
        .join(links, links.c.profile_id == p.c.id, isouter=True)
        .join(accounts, accounts.c.account_number == links.c.account_number, isouter=True)
        .where(p.c.id == profile_id).order_by(links.c.account_number))).all()
    if not rows:
        return None, []
    return rows[0], [row for row in rows if row.account_number is not None]


async def account_users(session: AsyncSession, account: str, limit: int, offset: int) -> Rows:
    query = select(t.profile_accounts, t.profiles.c.username, t.profiles.c.email).join(
        t.profiles, t.profiles.c.id == t.profile_accounts.c.profile_id).where(
        t.profile_accounts.c.account_number == account).order_by(t.profiles.c.username)
    return await _page(session, query, limit, offset)


async def security_events(session: AsyncSession, profile_id: str | None, limit: int,
                          offset: int) -> Rows:
    query = select(t.security_events)
    if profile_id is not None:
        query = query.where(t.security_events.c.profile_id == profile_id)
    return await _page(session, query.order_by(t.security_events.c.at.desc(),
                                               t.security_events.c.id.desc()), limit, offset)


async def staff_profiles(session: AsyncSession) -> list[Any]:
    """ISED staff: the profiles that have roles."""
    return list(await session.execute(
        select(t.profiles.c.id, t.profiles.c.username, t.profiles.c.email, t.profiles.c.roles)
        .where(t.profiles.c.roles != "").order_by(t.profiles.c.username_key)))


async def usernames(session: AsyncSession, profile_ids: set[str]) -> dict[str, str]:
    rows = await session.execute(select(t.profiles.c.id, t.profiles.c.username).where(
        t.profiles.c.id.in_(sorted(profile_ids))))
    return {row.id: row.username for row in rows}


async def profile(session: Reader, profile_id: str) -> Any:
    return (await session.execute(select(t.profiles).where(t.profiles.c.id == profile_id))
            ).first()
