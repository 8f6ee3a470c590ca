"""Documents of an application: streamed into the object store (type and size checked on the
way in), listed and read back by the parties and ISED staff only, removed while the
application may still be changed. Every family uses them alike."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import delete, insert, select

from services.licensing.adapters import repository as repo
from services.licensing.adapters.document_tables import application_documents as docs
from services.licensing.domain.applications import documents as d
from services.licensing.domain.applications import lifecycle as lc
from services.licensing.domain.applications.framework import APPLICANT, DocumentFact
from services.licensing.handlers.applications import party_of, require_right, visible
from shared.auth import Principal
from shared.errors import ConflictError, DomainError, NotFoundError
from shared.messaging.uow import UnitOfWork, UnitOfWorkFactory
from shared.storage.ports import NotFound, ObjectStore, StoredObject, TooLarge
from shared.web.multipart import stream_form

log = structlog.get_logger()
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# a party adds documents while it may change the application; staff also during the review
PARTY_STATUSES = (lc.DRAFT, lc.INFO_REQUESTED)
STAFF_STATUSES = (lc.DRAFT, *lc.OPEN)


@dataclass(frozen=True)
class Uploader:
    """Who is adding a document, checked before a byte of the body is read."""

    application_id: str
    party: str  # applicant | other | staff
    profile_id: str


@dataclass(frozen=True)
class Stored:
    document_id: str
    key: str
    filename: str
    format: d.Format
    stored: StoredObject


def safe_name(filename: str) -> str:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return (_UNSAFE.sub("_", base).strip("._") or "document")[:100]


async def may_upload(uow: UnitOfWork, who: Principal, application_id: str) -> Uploader:
    """A party with the ``prepare`` right on its side, while it may change the application;
    anyone else gets 404 (the application is confidential)."""
    row = await visible(uow, who, application_id)
    party = await party_of(uow, who, row)
    allowed = STAFF_STATUSES if who.is_staff else PARTY_STATUSES
    if row.status not in allowed:
        raise ConflictError("APP-DOCUMENT-CLOSED", f"Documents cannot be added to an "
                            f"application that is {row.status.lower()}.",
                            fix="Add documents to a draft, or when ISED asks for information.")
    account = row.account_number if party == APPLICANT else row.other_account_number
    await require_right(uow, who, account, "prepare")
    return Uploader(row.id, "staff" if who.is_staff else str(party), who.profile_id)


async def _checked(chunks: AsyncIterator[bytes], found: d.Format) -> AsyncIterator[bytes]:
    """The chunks, passed on once the file's first bytes show it is what its name says."""
    head, checked = bytearray(), False
    async for chunk in chunks:
        if checked:
            yield chunk
            continue
        head += chunk
        if len(head) >= d.HEAD_BYTES:
            d.check_head(found, bytes(head[:d.HEAD_BYTES]))
            checked = True
            yield bytes(head)
    if not checked:  # a file smaller than HEAD_BYTES
        if not head:
            raise DomainError("APP-DOCUMENT-EMPTY", "The file is empty.", field="file",
                              status=422, fix="Choose the file again.")
        d.check_head(found, bytes(head))
        yield bytes(head)


async def store(uows: UnitOfWorkFactory, objects: ObjectStore, uploader: Uploader,
                filename: str, chunks: AsyncIterator[bytes], max_bytes: int) -> Stored:
    """Stream the file into the store; refused (nothing kept) when too large or not what its
    name says."""
    found = d.check_name(filename)
    document_id = str(uows.ids.new())
    key = f"licensing/applications/{uploader.application_id}/{document_id}/{safe_name(filename)}"
    try:
        stored = await objects.put_stream(key, _checked(chunks, found),
                                          content_type=found.content_type, max_bytes=max_bytes)
    except TooLarge:
        raise DomainError("APP-DOCUMENT-TOO-LARGE", f"The file is larger than "
                          f"{max_bytes // (1024 * 1024)} MB.", field="file", status=413,
                          fix="Send a smaller file (a PDF of lower resolution, or in parts).") \
            from None
    return Stored(document_id, key, filename, found, stored)


async def record(uows: UnitOfWorkFactory, objects: ObjectStore, uploader: Uploader,
                 kind: str, stored: Stored) -> DocumentFact:
    """Keep the stored file as a document of the application (or remove it when its kind
    does not take that format)."""
    try:
        d.check_kind(kind, stored.format)
    except DomainError:
        await objects.delete(stored.key)
        raise
    async with uows() as uow:
        await may_upload_again(uow, uploader)
        await uow.session.execute(insert(docs).values(
            id=stored.document_id, application_id=uploader.application_id, kind=kind,
            filename=stored.filename[:255], content_type=stored.format.content_type,
            size=stored.stored.size, sha256=stored.stored.sha256, object_key=stored.key,
            party=uploader.party, uploaded_by=uploader.profile_id,
            uploaded_at=uow.clock.now()))
        await uow.commit()
    log.info("application.document_stored", application=uploader.application_id,
             document=stored.document_id, kind=kind, size=stored.stored.size)
    return DocumentFact(stored.document_id, kind, stored.filename, stored.stored.size)


async def may_upload_again(uow: UnitOfWork, uploader: Uploader) -> None:
    """The application may have been submitted while the file streamed in."""
    row = await repo.application_row(uow.session, uploader.application_id)
    allowed = STAFF_STATUSES if uploader.party == "staff" else PARTY_STATUSES
    if row.status not in allowed:
        raise ConflictError("APP-DOCUMENT-CLOSED", "The application changed while the file "
                            "was being sent; it no longer takes documents.")


async def listed(session: Any, application_id: str) -> list[Any]:
    rows = await session.execute(select(docs).where(docs.c.application_id == application_id)
                                 .order_by(docs.c.uploaded_at, docs.c.id))
    return list(rows)


async def one(uow: UnitOfWork, who: Principal, application_id: str, document_id: str) -> Any:
    """A document of an application ``who`` may see (404 for anyone else)."""
    await visible(uow, who, application_id)
    row = (await uow.session.execute(select(docs).where(
        docs.c.id == document_id, docs.c.application_id == application_id))).first()
    if row is None:
        raise NotFoundError("APP-DOCUMENT-NOT-FOUND", "There is no such document in this "
                            "application.")
    return row


def read(objects: ObjectStore, row: Any) -> Iterator[bytes]:
    """The file's bytes, chunk by chunk (a sync iterator: run it in a worker thread)."""
    try:
        return objects.iter_chunks(row.object_key, 256 * 1024)
    except NotFound:
        log.error("application.document_missing", document=row.id, key=row.object_key)
        raise NotFoundError("APP-DOCUMENT-GONE", "The file of this document is not in the "
                            "store.", fix="Add the document again, or ask ISED.") from None


async def streamed_form(request: Any, field: str, sink: Any,
                        guard: Any = None) -> tuple[dict[str, str], Any]:
    """``stream_form`` for a document: a form without the file says which field to use."""
    try:
        fields, _, stored = await stream_form(request, field, sink, guard)
    except DomainError as exc:
        if exc.code != "SD-FILE-MISSING":
            raise
        raise DomainError("APP-DOCUMENT-NO-FILE", "No file was sent.", field="file",
                          status=422, fix=f"Attach the document in the form field "
                          f"'{field}'.") from None
    return fields, stored


async def remove(uow: UnitOfWork, objects: ObjectStore, who: Principal, application_id: str,
                 document_id: str) -> None:
    """A party removes a document its side added, while it may change the application."""
    uploader = await may_upload(uow, who, application_id)
    row = await one(uow, who, application_id, document_id)
    if uploader.party != "staff" and row.party != uploader.party:
        raise ConflictError("APP-DOCUMENT-OTHER-PARTY", "The other party added this document; "
                            "only that party may remove it.")
    await uow.session.execute(delete(docs).where(docs.c.id == document_id))
    await uow.commit()
    await objects.delete(row.object_key)
