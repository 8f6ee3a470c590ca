"""Events become deliveries (in the event's transaction); a sender mails them with retries."""

from __future__ import annotations

import structlog
from sqlalchemy import insert, select

from services.notifications.adapters import tables as t
from services.notifications.adapters.render import Renderer
from services.notifications.domain.messages import Message, upload_result
from shared.db.upsert import upsert
from shared.events import licensing as le
from shared.events import sitedata as se
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()


async def queue(uow: UnitOfWork, renderer: Renderer, message: Message, cause: Envelope) -> None:
    """Record one delivery; the cause's event id makes a second one impossible."""
    exists = await uow.session.execute(select(t.deliveries.c.id).where(
        t.deliveries.c.cause_event_id == str(cause.id),
        t.deliveries.c.template == message.template,
        t.deliveries.c.recipient == message.recipient))
    if exists.first() is not None:
        return
    rendered = renderer.render(message)
    now = uow.clock.now()
    await uow.session.execute(insert(t.deliveries).values(
        id=str(uow.ids.new()), cause_event_id=str(cause.id), template=message.template,
        recipient=message.recipient, language=message.language, subject=rendered.subject,
        text_body=rendered.text, html_body=rendered.html, status="pending", attempts=0,
        next_attempt_at=now, created_at=now))


class UploadResultMail:
    def __init__(self, renderer: Renderer, base_url: str):
        self._renderer = renderer
        self._base_url = base_url

    async def __call__(self, uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        assert isinstance(payload, se.UploadProcessedV1)
        account = (await uow.session.execute(select(t.rm_accounts).where(
            t.rm_accounts.c.account_number == payload.account_number))).first()
        if account is None:
            raise LookupError(f"account {payload.account_number} not known yet; retry later")
        message = upload_result(payload.status, payload.upload_id, payload.filename,
                                payload.records, payload.error_count, account.email,
                                account.language, self._base_url)
        await queue(uow, self._renderer, message, envelope)


async def on_account_created(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.AccountCreatedV1)
    await upsert(uow.session, t.rm_accounts, {
        "account_number": payload.account_number, "legal_name": payload.legal_name,
        "email": payload.email, "language": payload.language}, ("account_number",))


def mail_handlers(renderer: Renderer, base_url: str) -> dict[str, EventHandler]:
    return {se.UploadProcessedV1.TYPE: UploadResultMail(renderer, base_url)}


READ_MODEL: dict[str, EventHandler] = {le.AccountCreatedV1.TYPE: on_account_created}
