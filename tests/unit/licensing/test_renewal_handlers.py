"""Renewal handlers over SQLite: a radio licence renews for one year whatever the term asked,
a refusal keeps the licence until its term ends, and a subordinate is never swept along."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox
from services.licensing.handlers.operations import ExpireLicences, renew
from services.licensing.handlers.registry import (
    NewAccount,
    NewLicence,
    create_account,
    grant_licence,
)
from services.licensing.settings import DEV_SECRET_KEY
from shared.auth import Principal
from shared.clock import FixedClock
from shared.db.engine import make_engine, make_sessionmaker
from shared.ids import Uuid7Source
from shared.messaging.uow import UnitOfWorkFactory

STAFF = Principal("officer-1", "demo.officer", frozenset({"officer"}))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2030, 2, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
async def uows(tmp_path: Path, clock: FixedClock) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'licensing.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(t.metadata.create_all)
    factory = UnitOfWorkFactory(make_sessionmaker(engine), t.tables, clock=clock,
                                ids=Uuid7Source(), source="test")
    async with factory() as uow:
        await create_account(uow, SecretBox(DEV_SECRET_KEY),
                             NewAccount("100000001", "Holder", "h@example.ca", "AAAA-BBBB-CCCC"))
        end = date(2030, 3, 31)
        for number, kind, primary in (("010900001", "radio", None),
                                      ("010900002", "spectrum", None),
                                      ("010900003", "spectrum", "010900002")):
            await grant_licence(uow, NewLicence(number, "100000001", kind, "Granted",
                                                date(2020, 4, 1), end, primary_licence=primary,
                                                frequency_blocks=["3650-3660 MHz"]), "Holder")
        await uow.commit()
    yield factory
    await engine.dispose()


async def _licences(uows: UnitOfWorkFactory) -> dict[str, tuple[str, date, str]]:
    async with uows() as uow:
        rows = await uow.session.execute(select(t.licences))
        return {r.licence_number: (r.status, r.expires_on, r.status_reason) for r in rows}


async def test_radio_renews_for_a_year_and_subordinates_stay(uows: UnitOfWorkFactory) -> None:
    async with uows() as uow:
        assert await renew(uow, STAFF, "010900001", 10) == ["010900001"]
        assert await renew(uow, STAFF, "010900002", 10) == ["010900002"]
        await uow.commit()
    found = await _licences(uows)
    assert found["010900001"][1] == date(2031, 3, 31)
    assert found["010900002"][1] == date(2040, 3, 31)
    assert found["010900003"][1] == date(2030, 3, 31)


async def test_a_refusal_lets_the_licence_lapse_at_the_end_of_its_term(
        uows: UnitOfWorkFactory, clock: FixedClock) -> None:
    async with uows() as uow:
        assert await renew(uow, STAFF, "010900002", 10, refuse_reason="Breach.") == []
        await uow.commit()
    found = await _licences(uows)
    assert found["010900002"][0] == "Granted" and "lapses" in found["010900002"][2]
    assert "010900002 will not be renewed" in found["010900003"][2]
    await ExpireLicences(uows).run_once()
    assert (await _licences(uows))["010900002"][0] == "Granted"  # not before its term ends
    clock.set(datetime(2030, 4, 1, 9, 0, tzinfo=UTC))
    await ExpireLicences(uows).run_once()
    found = await _licences(uows)
    assert found["010900002"][::2] == ("Expired", "Not renewed: Breach.")
    assert found["010900003"][0] == "Expired"
