"""What applying an upload writes: the pointers to the stations on file, and the filings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.sitedata.adapters import tables as t
from shared.db.engine import Reader

ls, ul, up = t.licence_stations, t.upload_licences, t.uploads


@dataclass(frozen=True)
class Source:
    """An upload whose rows of a licence are on file."""

    upload_id: str
    public_key: str | None
    records: int


async def point(session: AsyncSession, upload_id: str, clear: Iterable[str],
                insert_for: Iterable[str]) -> None:
    """Licences in ``clear`` lose every upload they pointed at; those in ``insert_for`` gain
    this upload (after a clear, that makes it their only one)."""
    cleared = sorted(clear)
    if cleared:
        await session.execute(delete(ls).where(ls.c.licence_number.in_(cleared)))
    rows = [{"licence_number": lic, "upload_id": upload_id} for lic in sorted(insert_for)]
    if rows:
        await session.execute(insert(ls), rows)


def _on_file(licences: Sequence[str]) -> Any:
    return (select(ls.c.licence_number, ls.c.upload_id, up.c.public_key, ul.c.records)
            .join(up, up.c.id == ls.c.upload_id)
            .join(ul, (ul.c.upload_id == ls.c.upload_id)
                  & (ul.c.licence_number == ls.c.licence_number))
            .where(ls.c.licence_number.in_(list(licences))).order_by(up.c.seq))


async def sources_of(session: Reader, licences: Sequence[str]) -> dict[str, list[Source]]:
    """Per licence, the uploads whose rows are on file, oldest first."""
    found: dict[str, list[Source]] = {}
    if not licences:
        return found
    for row in await session.execute(_on_file(licences)):
        found.setdefault(row.licence_number, []).append(
            Source(row.upload_id, row.public_key, int(row.records)))
    return found


async def station_counts(session: Reader, licences: Sequence[str]) -> dict[str, int]:
    """Station rows on file per licence (0 for a licence with none)."""
    counts = dict.fromkeys(licences, 0)
    if not licences:
        return counts
    query = (select(ls.c.licence_number, func.sum(ul.c.records))
             .join(ul, (ul.c.upload_id == ls.c.upload_id)
                   & (ul.c.licence_number == ls.c.licence_number))
             .where(ls.c.licence_number.in_(list(licences))).group_by(ls.c.licence_number))
    for licence, total in await session.execute(query):
        counts[licence] = int(total or 0)
    return counts


async def record_filing(session: AsyncSession, upload: Any, licences: list[Any],
                        counts: dict[str, int]) -> None:
    """Every licence in the file was filed for this month (NOCHANGE and NOSTATIONS too)."""
    numbers = [row.licence_number for row in licences]
    if not numbers:
        return
    await session.execute(delete(t.licence_files).where(
        t.licence_files.c.licence_number.in_(numbers)))
    await session.execute(insert(t.licence_files), [
        {"licence_number": n, "last_upload_id": upload.id, "last_upload_at": upload.received_at,
         "records": counts.get(n, 0)} for n in numbers])
