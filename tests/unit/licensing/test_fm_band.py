"""Every FM channel of the band (201 at 88.1 MHz to 300 at 107.9 MHz) is calculated and
accepted both ways, its edges included; nothing outside it is."""

from __future__ import annotations

import pytest

from services.licensing.domain.applications.framework import Checks
from services.licensing.domain.broadcasting import calculators as calc
from services.licensing.domain.broadcasting import main as m

GENERAL = {"service": "FM", "rebroadcast": "No", "broadcast_mode": "Stereo", "scmo": "No",
           "program_feed": "Satellite"}


def _codes(frequency: str, channel: str) -> list[str]:
    checks = Checks("main_general", {**GENERAL, "frequency": frequency, "channel": channel})
    m.check_general_details(checks)
    return [i.code for i in checks.issues]


@pytest.mark.parametrize("channel", range(calc.FM_FIRST_CHANNEL, calc.FM_LAST_CHANNEL + 1))
def test_each_channel_of_the_band(channel: int) -> None:
    frequency = calc.fm_frequency(channel)
    assert frequency is not None and calc.fm_channel(frequency) == channel
    assert _codes(f"{frequency:.1f}", str(channel)) == []
    assert _codes(str(frequency), f"{channel}.0") == []


@pytest.mark.parametrize(("frequency", "channel"), [("87.9", "200"), ("108.1", "301"),
                                                    ("88.0", "201"), ("107.8", "300")])
def test_nothing_outside_the_band_or_off_the_raster(frequency: str, channel: str) -> None:
    assert _codes(frequency, channel) == ["BC-FM-FREQUENCY"]
    assert calc.fm_frequency(int(channel)) is None or calc.fm_channel(float(frequency)) is None
