"""Taking an upload: check the door rules, stream the body to the store, record, raise the event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import structlog
from sqlalchemy import insert

from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import tables as t
from services.sitedata.domain.upload import VALIDATING, Mode, Stage
from services.sitedata.domain.validation import MAX_BYTES, check_filename, sniff_kind
from shared.auth import Principal
from shared.errors import DomainError, ForbiddenError
from shared.events.sitedata import UploadReceivedV1
from shared.messaging.uow import UnitOfWorkFactory
from shared.storage.ports import ObjectStore, StoredObject, TooLarge

log = structlog.get_logger()


@dataclass(frozen=True)
class NewUpload:
    principal: Principal
    mode: Mode
    account: str | None


async def choose_account(uows: UnitOfWorkFactory, principal: Principal, wanted: str | None
                         ) -> tuple[str, set[str]]:
    """The account the upload is made for, and every account the profile may upload for.

    Not named: the profile's active account (``PUT /api/identity/me/active-account``), else
    its only account."""
    async with uows() as uow:
        allowed = await repo.may_act_for(uow.session, principal.profile_id)
        active = await repo.active_account(uow.session, principal.profile_id)
    if not allowed:
        raise ForbiddenError("SD-NO-ACCOUNT", "This web profile may not upload site data for "
                             "any account.", fix="Ask the account owner for the upload right.")
    wanted = wanted or active
    if wanted:
        if wanted not in allowed:
            raise ForbiddenError("SD-ACCOUNT-DENIED", f"This web profile may not upload site "
                                 f"data for account {wanted}.", field="account",
                                 fix="Name an account it may upload for (field 'account'), "
                                     "or choose another one to act for.")
        return wanted, allowed
    if len(allowed) > 1:
        raise DomainError("SD-ACCOUNT-REQUIRED", "This web profile acts for several accounts.",
                          fix="Say which account the upload is for (field 'account'), or "
                              "choose the account it acts for (PUT /api/identity/me/"
                              "active-account).", field="account")
    return next(iter(allowed)), allowed


async def _guarded(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Refuse spreadsheets, PDFs and binary files on the first bytes, before storing."""
    first = True
    async for chunk in chunks:
        if first and chunk:
            problem = sniff_kind(chunk)
            if problem is not None:
                raise DomainError(problem.code, problem.message, status=415, field="file")
            first = False
        yield chunk


async def store_body(store: ObjectStore, key: str, chunks: AsyncIterator[bytes]) -> StoredObject:
    try:
        stored = await store.put_stream(key, _guarded(chunks), content_type="text/csv",
                                        max_bytes=MAX_BYTES)
    except TooLarge:
        raise DomainError("SD-F2-SIZE", "The file is larger than 60 MB.", status=413, field="file",
                          fix="Split it: upload the first part with Replace and the other parts "
                              "with Append.") from None
    if stored.size == 0:
        await store.delete(key)
        raise DomainError("SD-F7-EMPTY", "The file is empty.", field="file",
                          fix="Choose the CSV file that holds your station data.")
    return stored


@dataclass(frozen=True)
class StoredFile:
    upload_id: str
    filename: str
    stored: StoredObject


async def store_file(uows: UnitOfWorkFactory, store: ObjectStore, filename: str,
                     chunks: AsyncIterator[bytes]) -> StoredFile:
    """The door: the name must end in .csv, the bytes must be text, at most 60 MB."""
    problem = check_filename(filename)
    if problem is not None:
        raise DomainError(problem.code, problem.message, status=415, field="file")
    upload_id = str(uows.ids.new())
    stored = await store_body(store, f"uploads/{upload_id}.csv", chunks)
    return StoredFile(upload_id, filename, stored)


async def record(uows: UnitOfWorkFactory, store: ObjectStore, new: NewUpload,
                 file: StoredFile) -> str:
    """Record the stored file as an upload (Validation in Progress) and raise the event."""
    try:
        account, allowed = await choose_account(uows, new.principal, new.account)
    except DomainError:
        await store.delete(file.stored.key)
        raise
    async with uows() as uow:
        now = uow.clock.now()
        await uow.session.execute(insert(t.uploads).values(
            id=file.upload_id, profile_id=new.principal.profile_id, account_number=account,
            filename=file.filename[:255], object_key=file.stored.key, mode=new.mode.value,
            size=file.stored.size, sha256=file.stored.sha256, status=VALIDATING,
            stage=Stage.RECEIVED.value, records=0, error_count=0, warning_count=0,
            capped=False, accounts=",".join(sorted(allowed)), received_at=now))
        await uow.emit(UploadReceivedV1(
            upload_id=file.upload_id, profile_id=new.principal.profile_id,
            account_number=account, object_key=file.stored.key, filename=file.filename,
            mode=new.mode.value, size=file.stored.size, received_at=now),
            subject=file.upload_id, key=account)
        await uow.commit()
    log.info("upload.received", upload_id=file.upload_id, size=file.stored.size,
             mode=new.mode.value)
    return file.upload_id
