"""Staff queues measured against service standards: registrations and applications."""

from __future__ import annotations

from sqlalchemy import Table, update

from services.reports.adapters import tables as t
from shared.db.upsert import upsert
from shared.events import identity as ie
from shared.events import licensing as le
from shared.events.envelope import Envelope, Payload
from shared.messaging.consumer import EventHandler
from shared.messaging.uow import UnitOfWork

FINAL = ("approved", "rejected", "decided")


async def _set_state(uow: UnitOfWork, table: Table, key: str, ref: str, state: str,
                     envelope: Envelope) -> None:
    column = table.c[key]
    values: dict[str, object] = {"state": state}
    if state in FINAL:
        values["decided_at"] = envelope.time
    # a decision is final: a late "info requested" never reopens it
    await uow.session.execute(update(table).where(column == ref, table.c.state.not_in(FINAL))
                              .values(**values))


async def on_registration_submitted(uow: UnitOfWork, payload: Payload, envelope: Envelope
                                    ) -> None:
    assert isinstance(payload, ie.RegistrationSubmittedV1)
    if not payload.needs_approval:
        return  # decided at once by the account number and shared secret: no queue
    await upsert(uow.session, t.registrations, {
        "registration_id": payload.registration_id, "kind": payload.kind,
        "office": payload.office, "state": "pending", "submitted_at": envelope.time,
        "decided_at": None}, ("registration_id",))


def _registration(state: str) -> EventHandler:
    async def handle(uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        assert isinstance(payload, (ie.RegistrationApprovedV1, ie.RegistrationRejectedV1,
                                   ie.RegistrationInfoRequestedV1))
        ref = payload.registration_id
        await _set_state(uow, t.registrations, "registration_id", ref, state, envelope)
    return handle


async def on_application_submitted(uow: UnitOfWork, payload: Payload, _: Envelope) -> None:
    assert isinstance(payload, le.ApplicationSubmittedV1)
    await upsert(uow.session, t.applications, {
        "application_id": payload.application_id, "number": payload.number,
        "family": payload.family, "office": payload.office, "state": "pending",
        "submitted_at": payload.submitted_at,
        "service_standard_days": payload.service_standard_days, "decided_at": None},
        ("application_id",))


def _application(state: str) -> EventHandler:
    async def handle(uow: UnitOfWork, payload: Payload, envelope: Envelope) -> None:
        assert isinstance(payload, (le.ApplicationInfoRequestedV1, le.ApplicationDecidedV1))
        ref = payload.application_id
        await _set_state(uow, t.applications, "application_id", ref, state, envelope)
    return handle


HANDLERS: dict[str, EventHandler] = {
    ie.RegistrationSubmittedV1.TYPE: on_registration_submitted,
    ie.RegistrationApprovedV1.TYPE: _registration("approved"),
    ie.RegistrationRejectedV1.TYPE: _registration("rejected"),
    ie.RegistrationInfoRequestedV1.TYPE: _registration("info_requested"),
    le.ApplicationSubmittedV1.TYPE: on_application_submitted,
    le.ApplicationInfoRequestedV1.TYPE: _application("info_requested"),
    le.ApplicationDecidedV1.TYPE: _application("decided"),
}
