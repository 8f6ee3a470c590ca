"""Reads of the licensing schema used by handlers and routes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.licensing.adapters import tables as t
from services.licensing.adapters.document_tables import application_documents
from services.licensing.domain.applications.framework import (
    AccountFact,
    ApplicationRecord,
    DocumentFact,
    LicenceFact,
)
from shared.errors import NotFoundError

ALL_RIGHTS = frozenset({"view", "prepare", "submit", "upload"})


async def active_account(session: AsyncSession, profile_id: str) -> str | None:
    """The account the profile chose to act for, as identity last told (None: not chosen)."""
    return (await session.execute(select(t.active_accounts.c.account_number).where(
        t.active_accounts.c.profile_id == profile_id))).scalar()


async def rights(session: AsyncSession, profile_id: str,
                 account_number: str | None) -> frozenset[str]:
    """What a web profile may do for an account (an owner may do everything)."""
    if not account_number:
        return frozenset()
    row = (await session.execute(select(t.account_links).where(
        t.account_links.c.profile_id == profile_id,
        t.account_links.c.account_number == account_number))).first()
    if row is None:
        return frozenset()
    return ALL_RIGHTS if row.relation == "owner" else frozenset(row.rights or [])


async def linked_accounts(session: AsyncSession, profile_id: str) -> list[str]:
    rows = await session.execute(select(t.account_links.c.account_number).where(
        t.account_links.c.profile_id == profile_id))
    return [r[0] for r in rows]


def record(row: Any) -> ApplicationRecord:
    return ApplicationRecord(
        id=row.id, number=row.number, family=row.family, status=row.status,
        account_number=row.account_number, profile_id=row.profile_id,
        other_account_number=row.other_account_number, other_profile_id=row.other_profile_id,
        office=row.office, channel=row.channel)


async def application_row(session: AsyncSession, application_id: str) -> Any:
    row = (await session.execute(select(t.applications).where(
        t.applications.c.id == application_id))).first()
    if row is None:
        raise NotFoundError("APP-NOT-FOUND", "There is no such application for this web profile.")
    return row


async def draft(session: AsyncSession, application_id: str) -> dict[str, dict[str, Any]]:
    rows = await session.execute(select(t.application_sections).where(
        t.application_sections.c.application_id == application_id))
    return {r.section: dict(r.data) for r in rows}


async def licence_facts(session: AsyncSession, numbers: set[str]) -> dict[str, LicenceFact]:
    if not numbers:
        return {}
    rows = await session.execute(select(t.licences).where(
        t.licences.c.licence_number.in_(sorted(numbers))))
    return {r.licence_number: LicenceFact(
        r.licence_number, r.account_number, r.kind, r.status, r.issued_on, r.expires_on,
        r.service, r.service_area, tuple(r.frequency_blocks or ()), r.commercial_mobile,
        r.primary_licence, tuple(dict(r.details or {}).get("excluded_areas", ())))
        for r in rows}


async def document_facts(session: AsyncSession, application_id: str) -> tuple[DocumentFact, ...]:
    """The documents uploaded to an application, oldest first."""
    docs = application_documents
    rows = await session.execute(select(docs).where(docs.c.application_id == application_id)
                                 .order_by(docs.c.uploaded_at, docs.c.id))
    return tuple(DocumentFact(r.id, r.kind, r.filename, r.size) for r in rows)


def account_fact(row: Any) -> AccountFact:
    return AccountFact(row.account_number, row.legal_name, row.email, row.language, row.city,
                       row.province, tuple(c for c in (row.contacts or []) if isinstance(c, dict)))


async def account_row(session: AsyncSession, account_number: str) -> Any:
    row = (await session.execute(select(t.accounts).where(
        t.accounts.c.account_number == account_number))).first()
    if row is None:
        raise NotFoundError("LIC-ACCOUNT-NOT-FOUND",
                            f"There is no client account {account_number}.")
    return row


async def list_applications(session: AsyncSession, *, accounts: list[str] | None,
                            filters: dict[str, str | None], limit: int, offset: int,
                            submitted_only: bool = False) -> tuple[list[Any], int]:
    """Applications of ``accounts`` (as applicant or other party), or all when None (staff)."""
    query = select(t.applications)
    if accounts is not None:
        query = query.where(or_(t.applications.c.account_number.in_(accounts),
                                t.applications.c.other_account_number.in_(accounts)))
    if submitted_only:
        query = query.where(t.applications.c.number.is_not(None))
    for name, value in filters.items():
        if value is not None:
            query = query.where(t.applications.c[name] == value)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar()
    rows = (await session.execute(query.order_by(
        t.applications.c.submitted_at, t.applications.c.created_at, t.applications.c.id)
        .limit(limit).offset(offset))).all()
    return list(rows), int(total or 0)




async def account_licences(session: AsyncSession, account_number: str) -> list[Any]:
    rows = await session.execute(select(t.licences).where(
        t.licences.c.account_number == account_number).order_by(t.licences.c.licence_number))
    return list(rows)


async def account_invoices(session: AsyncSession, account_number: str) -> list[Any]:
    rows = await session.execute(select(t.invoices).where(
        t.invoices.c.account_number == account_number).order_by(
        t.invoices.c.issued_on.desc(), t.invoices.c.invoice_number.desc()))
    return list(rows)


async def account_exists(session: AsyncSession, account_number: str) -> bool:
    found = await session.execute(select(t.accounts.c.account_number).where(
        t.accounts.c.account_number == account_number))
    return found.first() is not None


async def denied_prospective(session: AsyncSession) -> list[Any]:
    """Denied transfer applications whose outcome carries a breach date."""
    rows = await session.execute(select(t.applications).where(
        t.applications.c.family == "transfer", t.applications.c.decision == "Denied"))
    return [r for r in rows if isinstance(r.outcome, dict) and "breach_after" in r.outcome]
