"""Registration attachments (form ISED-ISDE3052, power of attorney...): streamed to the object
store; the uploader gets a claim token that the registration then names."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import structlog
from sqlalchemy import insert, select

from services.identity.adapters import tables as t
from services.identity.domain.onetime import new_token, token_hash
from shared.errors import DomainError, NotFoundError
from shared.messaging.uow import UnitOfWorkFactory
from shared.storage.ports import ObjectStore, StoredObject, TooLarge

log = structlog.get_logger()
MAX_BYTES = 10 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Stored:
    attachment_id: str
    key: str
    size: int
    filename: str


def safe_name(filename: str) -> str:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return (_UNSAFE.sub("_", base).strip("._") or "attachment")[:100]


async def store(uows: UnitOfWorkFactory, objects: ObjectStore, filename: str,
                chunks: AsyncIterator[bytes]) -> Stored:
    attachment_id = str(uows.ids.new())
    key = f"identity/attachments/{attachment_id}/{safe_name(filename)}"
    try:
        stored: StoredObject = await objects.put_stream(key, chunks, max_bytes=MAX_BYTES)
    except TooLarge:
        raise DomainError("ID-ATTACHMENT-TOO-LARGE", "The attachment is larger than 10 MB.",
                          status=413, field="file", fix="Send a smaller scan or a PDF.") from None
    return Stored(attachment_id, key, stored.size, filename)


async def record(uows: UnitOfWorkFactory, stored: Stored, description: str,
                 content_type: str) -> str:
    """Record the stored file with its (required) description; returns the claim token."""
    if not description.strip():
        raise DomainError("ID-ATTACHMENT-DESCRIPTION", "Describe the attachment.",
                          field="description", status=422,
                          fix="Enter a description, e.g. 'Signed form ISED-ISDE3052'.")
    if stored.size == 0:
        raise DomainError("ID-ATTACHMENT-EMPTY", "The attachment is empty.", field="file",
                          status=422, fix="Choose the file again.")
    claim = new_token()
    async with uows() as uow:
        await uow.session.execute(insert(t.attachments).values(
            id=stored.attachment_id, claim_hash=token_hash(claim), object_key=stored.key,
            filename=stored.filename[:255], content_type=content_type[:100], size=stored.size,
            description=description.strip()[:500], created_at=uow.clock.now()))
        await uow.commit()
    log.info("identity.attachment_stored", attachment_id=stored.attachment_id, size=stored.size)
    return claim


async def read(uows: UnitOfWorkFactory, objects: ObjectStore, registration_id: str,
               attachment_id: str) -> tuple[str, str, bytes]:
    async with uows() as uow:
        row = (await uow.session.execute(select(t.attachments).where(
            t.attachments.c.id == attachment_id,
            t.attachments.c.registration_id == registration_id))).first()
    if row is None:
        raise NotFoundError("ID-ATTACHMENT-NOT-FOUND", "No such attachment.")
    return row.filename, row.content_type, await objects.get_bytes(row.object_key)
