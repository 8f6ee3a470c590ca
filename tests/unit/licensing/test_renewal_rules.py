"""Renewal rules: the window at the end of the term, the run's opening, where invoices stand,
and the band that makes spectrum commercial mobile (5.6.4.1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.licensing.domain import renewals as rn
from services.licensing.domain.commercial_mobile import is_commercial_mobile, services_of
from shared.errors import ConflictError

END = date(2030, 3, 31)


@pytest.mark.parametrize(("today", "code"), [
    (date(2029, 10, 1), "LIC-RENEW-WINDOW"), (date(2029, 10, 2), None), (END, None),
    (date(2030, 9, 27), None), (date(2030, 9, 28), "LIC-RENEW-LAPSED"),
])
def test_renewal_happens_at_the_end_of_the_term(today: date, code: str | None) -> None:
    if code is None:
        rn.require_renewable("010898101", END, today, 180)
        return
    with pytest.raises(ConflictError) as raised:
        rn.require_renewable("010898101", END, today, 180)
    assert raised.value.code == code


def test_the_renewal_run_opens_within_the_window_before_1_april() -> None:
    rn.require_run_open(2031, date(2029, 10, 3), 180)
    with pytest.raises(ConflictError, match="opens on 2029-10-03"):
        rn.require_run_open(2031, date(2029, 10, 2), 180)


def test_where_an_invoice_stands() -> None:
    amount = Decimal("41.00")
    assert rn.status_after_payment(amount, Decimal("20")) == rn.PARTLY_PAID
    assert rn.status_after_payment(amount, amount) == rn.PAID
    assert rn.standing(rn.PARTLY_PAID, date(2029, 12, 2), date(2029, 12, 3)) == rn.OVERDUE
    assert rn.standing(rn.ISSUED, date(2029, 12, 2), date(2029, 12, 2)) == rn.ISSUED
    assert rn.standing(rn.PAID, date(2029, 12, 2), date(2030, 1, 1)) == rn.PAID
    assert "lapses at the end of its term" in rn.lapse_notice("Breach.", END)


@pytest.mark.parametrize(("blocks", "services"), [
    (["1710-1720 MHz", "2110-2120 MHz"], ["AWS-1"]), (["824-835"], ["Cellular"]),
    (["1850-1865"], ["PCS"]), (["2500-2510"], ["BRS"]), (["2305-2310"], ["WCS"]),
    (["777-782"], ["700 MHz MBS"]), (["3650-3700"], []), (["150-151"], []), (["x"], []),
])
def test_commercial_mobile_follows_the_band(blocks: list[str], services: list[str]) -> None:
    assert services_of(blocks) == services
    assert is_commercial_mobile(blocks) is bool(services)
