"""Demo data: two client accounts and their spectrum licences (README)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from services.licensing.adapters import tables as t
from services.licensing.adapters.secrets import SecretBox
from services.licensing.handlers.registry import (
    NewAccount,
    NewLicence,
    create_account,
    grant_licence,
)
from shared.messaging.uow import UnitOfWorkFactory

DEMO_SECRET_2 = "DEMO-2026-SMS2"
OBLIGATION_FROM = date(2024, 10, 31)


AREAS = {"010898101": "3-013", "010898102": "3-024", "010898103": "2-006",
         "010898104": "2-009", "010898105": "3-013", "010898199": "3-040"}


def _spectrum(number: str, account: str, status: str, issued: date, expires: date) -> NewLicence:
    return NewLicence(number, account, "spectrum", status, issued, expires,
                      service="Cellular / AWS-1 (1710-1780 MHz)", site_data_required=True,
                      site_data_from=OBLIGATION_FROM, service_area=AREAS[number],
                      frequency_blocks=["1710-1720 MHz", "2110-2120 MHz"],
                      commercial_mobile=True, details={"fee_key": "spectrum:fcfs"})


async def seed(uows: UnitOfWorkFactory, box: SecretBox) -> None:
    async with uows() as uow:
        found = await uow.session.execute(select(t.accounts.c.account_number).where(
            t.accounts.c.account_number == "100000001"))
        if found.first() is not None:
            return
        first = NewAccount("100000001", "Northern Demo Wireless Inc.", "licensee@example.ca",
                           "DEMO-2026-SMS1", city="Ottawa", province="ON", office="Ontario")
        second = NewAccount("100000002", "Prairie Demo Telecom Ltd.", "prairie@example.ca",
                            DEMO_SECRET_2, city="Regina", province="SK", office="Prairies")
        await create_account(uow, box, first)
        await create_account(uow, box, second)
        for n in range(1, 5):
            await grant_licence(uow, _spectrum(f"01089810{n}", "100000001", "Granted",
                                               date(2020, 4, 1), date(2030, 3, 31)),
                                first.legal_name)
        await grant_licence(uow, _spectrum("010898105", "100000001", "Expired",
                                           date(2015, 4, 1), date(2025, 3, 31)), first.legal_name)
        await grant_licence(uow, _spectrum("010898199", "100000002", "Granted",
                                           date(2022, 4, 1), date(2032, 3, 31)), second.legal_name)
        await uow.commit()
