"""The calculators of the broadcasting wizard: channels, line efficiency, gains, power values.

Frequencies: FM and DTV in MHz, AM in kHz (the AM channel is the frequency itself).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

FM_FIRST_CHANNEL = 201          # 88.1 MHz
FM_LAST_CHANNEL = 300           # 107.9 MHz
AM_LOW_KHZ, AM_HIGH_KHZ = 530, 1700
AM_EXTENDED_LOW_KHZ, AM_EXTENDED_HIGH_KHZ = 1605, 1705
DTV_CHANNELS = tuple(n for n in range(2, 37))  # 37 is radio astronomy; 38+ left TV (repack)
_DTV_BLOCKS = ((2, 4, 54.0), (5, 6, 76.0), (7, 13, 174.0), (14, 36, 470.0))

SCMO_DESCRIPTIONS = ("RBDS", "Non broadcast services", "Broadcasting",
                     "Services related to station")
_SCMO = re.compile(r"^(\d{2}) kHz\s*[–-]\s*(.+)$")


def fm_channel(frequency_mhz: float) -> int | None:
    """FM channel from frequency: 88.1 MHz is 201, then one channel every 200 kHz."""
    steps = (frequency_mhz - 88.1) / 0.2
    channel = round(steps) + FM_FIRST_CHANNEL
    if abs(steps - round(steps)) > 1e-6 or not FM_FIRST_CHANNEL <= channel <= FM_LAST_CHANNEL:
        return None
    return channel


def fm_frequency(channel: int) -> float | None:
    if not FM_FIRST_CHANNEL <= channel <= FM_LAST_CHANNEL:
        return None
    return round(88.1 + (channel - FM_FIRST_CHANNEL) * 0.2, 1)


def dtv_frequency(channel: int) -> float | None:
    """The centre frequency (MHz) of a 6 MHz DTV channel, 2 to 36."""
    for first, last, lower_edge in _DTV_BLOCKS:
        if first <= channel <= last:
            return lower_edge + (channel - first) * 6 + 3
    return None


def am_extended_band(frequency_khz: float) -> bool:
    """1605-1705 kHz: the extended band, whose stations have no station class."""
    return AM_EXTENDED_LOW_KHZ < frequency_khz <= AM_EXTENDED_HIGH_KHZ


def am_frequency_valid(frequency_khz: float) -> bool:
    """540-1700 kHz on the 10 kHz raster (530 kHz is kept for travellers' information)."""
    whole = float(frequency_khz).is_integer() and int(frequency_khz) % 10 == 0
    return whole and AM_LOW_KHZ <= frequency_khz <= AM_HIGH_KHZ


def line_efficiency(loss_db_per_100m: float, length_m: float) -> float:
    """Transmission-line efficiency (%) from its loss and length, to 2 decimals."""
    loss_db = loss_db_per_100m * length_m / 100
    return round(100 * 10 ** (-loss_db / 10), 2)


def gain_precise(text: str) -> bool:
    """Gains are given to at most 3 decimals."""
    return re.fullmatch(r"-?\d+(\.\d{1,3})?", text.strip()) is not None


def erp_watts(output_power_w: float, efficiency_pct: float, gain_dbd: float) -> float:
    """ERP = transmitter output x line efficiency x antenna gain (dBd), to 1 W precision 0.1."""
    return round(output_power_w * efficiency_pct / 100 * 10 ** (gain_dbd / 10), 1)


@dataclass(frozen=True)
class PowerValues:
    """What "Set Power Values" fills in from the maximum ERPs and the antenna gains."""

    erp_max_h: float
    erp_max_v: float
    erp_avg_h: float
    erp_avg_v: float


def power_values(erp_max_h: float, erp_max_v: float, gains: dict[str, float]) -> PowerValues:
    """Average ERP per polarization = maximum ERP x (average gain - maximum gain) in dB."""
    def average(erp_max: float, max_key: str, avg_key: str) -> float:
        if erp_max <= 0 or max_key not in gains or avg_key not in gains:
            return 0.0
        return round(erp_max * 10 ** ((gains[avg_key] - gains[max_key]) / 10), 1)
    return PowerValues(erp_max_h, erp_max_v,
                       average(erp_max_h, "max_gain_h", "avg_gain_h"),
                       average(erp_max_v, "max_gain_v", "avg_gain_v"))


def parse_scmo(entry: str) -> tuple[int, str] | None:
    """'57 kHz – RBDS' -> (57, 'RBDS'); None when the format or description is wrong."""
    match = _SCMO.match(entry.strip())
    if match is None or match.group(2).strip() not in SCMO_DESCRIPTIONS:
        return None
    return int(match.group(1)), match.group(2).strip()


def dbc_without_sign(text: str) -> float | None:
    """An IBOC sideband level as the brief gives it, without its minus sign."""
    value = text.strip()
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
