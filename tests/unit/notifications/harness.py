"""The notifications service alone, on a given database and bus, mailing a given SMTP sink.

Other services' events are published straight onto the bus (as their relays would), so tests
can inject duplicates and choose the order. Used by the unit tests (SQLite, in-memory bus) and
the real-server tests (PostgreSQL, tansu).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select

from services.gateway.system import Runner
from services.notifications.adapters import tables as t
from services.notifications.bootstrap import NotificationsService
from services.notifications.settings import NotificationsSettings
from shared.clock import Clock
from shared.events import licensing as le
from shared.events.envelope import Envelope, Payload
from shared.ids import Uuid7Source
from shared.messaging.ports import Bus
from shared.runtime import Infrastructure
from shared.storage.local import LocalObjectStore

T = TypeVar("T")
BASE_URL = "https://sms.example.test"


@dataclass
class Rig:
    service: NotificationsService
    bus: Bus
    clock: Clock
    runner: Runner

    async def publish(self, payload: Payload, subject: str, *, source: str = "sms.test",
                      when: datetime | None = None) -> Envelope:
        envelope = Envelope(id=Uuid7Source().new(), type=payload.TYPE, version=payload.VERSION,
                            source=source, subject=subject, time=when or self.clock.now(),
                            data=payload.model_dump(mode="json"))
        await self.republish(envelope, payload.TOPIC)
        return envelope

    async def republish(self, envelope: Envelope, topic: str) -> None:
        """Publish this envelope (again): a duplicate delivery, as after a relay crash."""
        await self.bus.publish(topic, envelope.subject, envelope.to_bytes(), envelope.headers())

    async def deliveries(self, **where: Any) -> list[Any]:
        async with self.service.uows() as uow:
            query = select(t.deliveries).order_by(t.deliveries.c.created_at,
                                                  t.deliveries.c.id)
            for column, value in where.items():
                query = query.where(t.deliveries.c[column] == value)
            return list(await uow.session.execute(query))

    async def rows(self, table: Any) -> list[Any]:
        async with self.service.uows() as uow:
            return list(await uow.session.execute(select(table)))

    async def stop(self) -> None:
        await self.runner.stop()


async def start_rig(tmp_dir: Any, *, database_url: str, bus: Bus, smtp_port: int, clock: Clock,
                    max_attempts: int = 3, retry_base_s: float = 0.05,
                    jobs: bool = True) -> Rig:
    settings = NotificationsSettings.model_validate({
        "database_url": database_url, "public_base_url": BASE_URL, "smtp_port": smtp_port,
        "smtp_timeout_s": 5.0, "max_attempts": max_attempts, "retry_base_s": retry_base_s,
        "send_interval_s": 0.05, "reminder_first_run_after_s": 3600.0})
    infra = Infrastructure(bus=bus, store=LocalObjectStore(tmp_dir / "objects"), clock=clock)
    service = NotificationsService(settings, infra)
    runner = Runner([service], jobs=jobs)
    await runner.migrate()
    await runner.start()
    return Rig(service, bus, clock, runner)


async def eventually(probe: Callable[[], Awaitable[T]], *, timeout: float = 20.0,
                     until: Callable[[T], bool] = bool) -> T:
    """Poll ``probe`` until ``until`` holds for its value; AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if until(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {timeout}s; last value: {value!r}")
        await asyncio.sleep(0.05)


def account(number: str = "200000001", *, email: str = "holder@example.ca",
            language: str = "en", **extra: Any) -> le.AccountCreatedV1:
    return le.AccountCreatedV1(account_number=number, legal_name="Test Holder Inc.",
                               email=email, language=language, city="Ottawa", province="ON",
                               secret_hash="argon2-hash", **extra)


def licence(number: str = "010777001", account_number: str = "200000001", *,
            issued_on: date = date(2026, 1, 15), expires_on: date = date(2036, 1, 14),
            site_data: bool = True, status: str = "Granted", **extra: Any) -> le.LicenceGrantedV1:
    return le.LicenceGrantedV1(
        licence_number=number, account_number=account_number, kind="spectrum",
        status=status, issued_on=issued_on, expires_on=expires_on,
        site_data_required=site_data, site_data_from=date(2024, 10, 31) if site_data else None,
        **extra)
