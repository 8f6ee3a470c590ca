"""Recording what to send: a delivery (an e-mail) or a letter (to post), in the event's
transaction. The cause's id (event id, or reminder id) is the idempotency key: a redelivered
event finds its delivery and records nothing more."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import insert, select

from services.notifications.adapters import tables as t
from services.notifications.adapters.render import Renderer
from services.notifications.domain.documents import Letter
from services.notifications.domain.messages import Message
from shared.messaging.ports import RetryLater
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()


async def queue(uow: UnitOfWork, renderer: Renderer, message: Message, cause_id: str,
                cause_type: str) -> bool:
    """Record one delivery; False when this cause already has it, or when there is no address
    to send it to (a web profile may have none: the existing agent's registration)."""
    if not message.recipient.strip():
        log.info("delivery.no_address", template=message.template, cause_type=cause_type)
        return False
    exists = await uow.session.execute(select(t.deliveries.c.id).where(
        t.deliveries.c.cause_event_id == cause_id,
        t.deliveries.c.template == message.template,
        t.deliveries.c.recipient == message.recipient))
    if exists.first() is not None:
        return False
    rendered = renderer.render(message)
    now = uow.clock.now()
    delivery_id = str(uow.ids.new())
    await uow.session.execute(insert(t.deliveries).values(
        id=delivery_id, cause_event_id=cause_id, cause_type=cause_type,
        template=message.template, recipient=message.recipient, language=message.language,
        subject=rendered.subject[:300], text_body=rendered.text, html_body=rendered.html,
        status="pending", attempts=0, next_attempt_at=now, created_at=now))
    log.info("delivery.queued", delivery_id=delivery_id, template=message.template,
             cause_type=cause_type)
    return True


async def queue_letter(uow: UnitOfWork, renderer: Renderer, letter: Letter,
                       cause_id: str) -> bool:
    """Record one letter for staff to print and post; False when this cause already has it."""
    exists = await uow.session.execute(select(t.letters.c.id).where(
        t.letters.c.cause_event_id == cause_id, t.letters.c.kind == letter.kind,
        t.letters.c.reference == letter.reference))
    if exists.first() is not None:
        return False
    rendered = renderer.render_letter(letter, uow.clock.today())
    letter_id = str(uow.ids.new())
    await uow.session.execute(insert(t.letters).values(
        id=letter_id, cause_event_id=cause_id, kind=letter.kind, reference=letter.reference,
        account_number=letter.account_number, addressee=letter.addressee,
        language=letter.language, subject=rendered.subject[:300], html_body=rendered.html,
        status="to_post", created_at=uow.clock.now()))
    log.info("letter.queued", letter_id=letter_id, kind=letter.kind)
    return True


async def account(uow: UnitOfWork, account_number: str) -> Any:
    """The account as the read model knows it; until then the event waits (``RetryLater``)."""
    row = (await uow.session.execute(select(t.rm_accounts).where(
        t.rm_accounts.c.account_number == account_number))).first()
    if row is None:
        raise RetryLater(f"account {account_number} not known yet")
    return row


def address_of(row: Any) -> str:
    return ", ".join(part for part in (row.city, row.province) if part)
