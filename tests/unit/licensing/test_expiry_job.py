"""The expiry job over SQLite: licences past their term become Expired, with their event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox
from services.licensing.handlers.operations import ExpireLicences
from services.licensing.handlers.registry import (
    NewAccount,
    NewLicence,
    create_account,
    grant_licence,
)
from services.licensing.settings import DEV_SECRET_KEY
from shared.clock import FixedClock
from shared.db.engine import make_engine, make_sessionmaker
from shared.ids import Uuid7Source
from shared.messaging.uow import UnitOfWorkFactory


async def test_licences_past_their_term_expire_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'licensing.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(t.metadata.create_all)
    clock = FixedClock(datetime(2030, 4, 1, 9, 0, tzinfo=UTC))
    uows = UnitOfWorkFactory(make_sessionmaker(engine), t.tables, clock=clock,
                             ids=Uuid7Source(), source="test")
    async with uows() as uow:
        await create_account(uow, SecretBox(DEV_SECRET_KEY),
                             NewAccount("100000001", "Holder", "h@example.ca", "AAAA-BBBB-CCCC"))
        for number, expires in (("010900001", date(2030, 3, 31)), ("010900002", date(2031, 3, 31))):
            await grant_licence(uow, NewLicence(number, "100000001", "spectrum", "Granted",
                                                date(2020, 4, 1), expires), "Holder")
        await uow.commit()
    job = ExpireLicences(uows)
    await job.run_once()
    await job.run_once()
    async with uows() as uow:
        statuses = dict((await uow.session.execute(select(
            t.licences.c.licence_number, t.licences.c.status))).all())
        events = (await uow.session.execute(select(t.tables.outbox.c.envelope))).scalars().all()
    await engine.dispose()
    assert statuses == {"010900001": "Expired", "010900002": "Granted"}
    assert sum("licensing.licence.status_changed" in e for e in events) == 1
