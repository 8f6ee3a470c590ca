"""Table tests of the broadcasting calculators and call-sign forms."""

from __future__ import annotations

import pytest

from services.licensing.domain.broadcasting import calculators as calc
from services.licensing.domain.broadcasting import callsigns as cs


@pytest.mark.parametrize(("mhz", "channel"), [
    (88.1, 201), (88.3, 202), (99.9, 260), (107.9, 300), (100.0, None), (87.9, None),
    (108.1, None), (99.95, None),
])
def test_fm_channel_from_frequency(mhz: float, channel: int | None) -> None:
    assert calc.fm_channel(mhz) == channel


@pytest.mark.parametrize(("channel", "mhz"), [(201, 88.1), (260, 99.9), (300, 107.9),
                                               (200, None), (301, None)])
def test_fm_frequency_from_channel(channel: int, mhz: float | None) -> None:
    assert calc.fm_frequency(channel) == mhz


@pytest.mark.parametrize(("channel", "mhz"), [
    (2, 57.0), (4, 69.0), (5, 79.0), (6, 85.0), (7, 177.0), (13, 213.0), (14, 473.0),
    (36, 605.0), (1, None), (37, None), (51, None),
])
def test_dtv_frequency_from_channel(channel: int, mhz: float | None) -> None:
    assert calc.dtv_frequency(channel) == mhz


@pytest.mark.parametrize(("khz", "valid", "extended"), [
    (540, True, False), (1010, True, False), (1600, True, False), (1610, True, True),
    (1700, True, True), (1605, False, False), (1710, False, False), (1015, False, False),
    (520, False, False),
])
def test_am_band(khz: float, valid: bool, extended: bool) -> None:
    assert calc.am_frequency_valid(khz) is valid
    assert calc.am_extended_band(khz) is extended


@pytest.mark.parametrize(("loss", "length", "efficiency"), [
    (0.5, 70, 92.26), (1, 1, 99.77), (1.0, 100, 79.43), (3.0, 100, 50.12), (0, 50, 100.0),
    (0.25, 200, 89.13),
])
def test_line_efficiency_from_loss_and_length(loss: float, length: float,
                                              efficiency: float) -> None:
    assert calc.line_efficiency(loss, length) == efficiency


@pytest.mark.parametrize(("text", "ok"), [("1.5", True), ("-2.125", True), ("3", True),
                                          ("1.2345", False), ("1,5", False), ("", False)])
def test_gains_have_at_most_three_decimals(text: str, ok: bool) -> None:
    assert calc.gain_precise(text) is ok


def test_erp_and_power_values() -> None:
    assert calc.erp_watts(5000, 92.26, 1.5) == 6516.0
    values = calc.power_values(6500, 0, {"max_gain_h": 1.5, "avg_gain_h": -1.5})
    assert (values.erp_avg_h, values.erp_avg_v) == (3257.7, 0.0)


@pytest.mark.parametrize(("entry", "parsed"), [
    ("57 kHz – RBDS", (57, "RBDS")), ("92 kHz - Broadcasting", (92, "Broadcasting")),
    ("67 kHz – Non broadcast services", (67, "Non broadcast services")),
    ("76 kHz – Services related to station", (76, "Services related to station")),
    ("57 kHz – Traffic", None), ("57kHz RBDS", None), ("157 kHz – RBDS", None), ("RBDS", None),
])
def test_scmo_entry_format(entry: str, parsed: tuple[int, str] | None) -> None:
    assert calc.parse_scmo(entry) == parsed


@pytest.mark.parametrize(("text", "value"), [("14", 14.0), ("20.5", 20.5), ("-14", None),
                                             ("abc", None), ("", None)])
def test_sidebands_in_dbc_without_sign(text: str, value: float | None) -> None:
    assert calc.dbc_without_sign(text) == value


@pytest.mark.parametrize(("service", "sign", "ok"), [
    ("FM", "CKQZ-FM", True), ("FM", "cbct-fm-1", True), ("FM", "CKQZ", False),
    ("AM", "CFRB", True), ("AM", "CFRB-FM", False), ("DTV", "CFTO-DT", True),
    ("DTV", "CFTO-TV", False), ("FM", "KQZ-FM", False), ("XX", "CKQZ", False),
])
def test_call_sign_forms(service: str, sign: str, ok: bool) -> None:
    assert cs.valid_for(service, sign) is ok


def test_auxiliary_and_iboc_signs() -> None:
    assert cs.auxiliary_sign("CKQZ-FM", 1) == "CKQZ-FM-AX1"
    assert cs.auxiliary_valid("CKQZ-FM", "ckqz-fm-ax2")
    assert not cs.auxiliary_valid("CKQZ-FM", "CKQZ-FM-AX")
    assert not cs.auxiliary_valid("CKQZ-FM", "CJVX-FM-AX1")
    assert cs.iboc_sign("CKQZ-FM") == "CKQZ-HD"


def test_catalogue_lists_available_signs_not_in_use() -> None:
    catalogue = cs.catalogue_from(
        ["CKQZ-FM", "CJVX-FM", "CKQZ", "CHFI-FM"],
        [{"call_sign": "CHFI-FM", "service": "FM", "frequency": 98.1}], [])
    assert catalogue.available_signs("FM") == ["CJVX-FM", "CKQZ-FM"]
    assert catalogue.with_issued(["ckqz-fm"]).available_signs("FM") == ["CJVX-FM"]
    assert catalogue.in_use("chfi-fm")
