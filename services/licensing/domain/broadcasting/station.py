"""Checks of one station's technical data, shared by the main and the auxiliary stations:
site, antenna-system attestation, transmitter, transmission line, antenna, ERP/HAAT."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.licensing.domain.applications import documents as docs
from services.licensing.domain.applications.framework import Checks, Data
from services.licensing.domain.broadcasting import calculators as calc
from services.licensing.domain.broadcasting.callsigns import Catalogue

YES_NO = ("Yes", "No")
PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
ATTESTATION = ("Attached", "Online", "N/A")  # Yes (attach ISED-ISDE2430) / No (online) / N/A
POLARIZATIONS = ("Horizontal", "Vertical", "Circular", "Elliptical")
PATTERNS = ("Omnidirectional", "Directional")
# WGS84 box around Canada (decimal degrees, west negative)
LAT_RANGE, LON_RANGE = (41.6, 83.2), (-141.1, -52.6)


class Scoped(Checks):
    """Checks over a nested group of fields; its errors name ``prefix.field``."""

    def __init__(self, parent: Checks, key: str, data: Any):
        super().__init__(parent.section, data if isinstance(data, Mapping) else {})
        self.issues = parent.issues
        self._prefix = _prefix_of(parent) + key + "."

    def error(self, field_name: str, code: str, message: str) -> None:
        Checks.error(self, self._prefix + field_name, code, message)

    def group(self, key: str) -> Scoped:
        return Scoped(self, key, self.data.get(key))


def _prefix_of(checks: Checks) -> str:
    """The field prefix of nested checks (ours, or the framework's row checks)."""
    return str(getattr(checks, "_prefix", None) or getattr(checks, "prefix", None) or "")


def group(checks: Checks, key: str) -> Scoped:
    return Scoped(checks, key, checks.data.get(key))


@dataclass(frozen=True)
class Situation:
    """What a station's checks need to know of the rest of the application."""

    service: str            # FM | AM | DTV
    modification: bool
    main: bool = True       # False: an auxiliary station
    iboc: bool = False
    documents: frozenset[str] = frozenset()  # the kinds of document uploaded


def needs_document(c: Checks, s: Situation, kind: str, field: str, what: str) -> None:
    """A file of ``kind`` must be uploaded to the application (Add Attachment)."""
    if kind not in s.documents:
        c.error(field, docs.MISSING, f"Upload the {what} (Documents of the application).")


def check_site(c: Checks) -> None:
    c.text("address", max_len=200)
    c.text("city", required=False, max_len=100)
    c.choice("province", PROVINCES)
    c.number("latitude", low=LAT_RANGE[0], high=LAT_RANGE[1])
    c.number("longitude", low=LON_RANGE[0], high=LON_RANGE[1])
    overall = c.number("height_overall", low=0, high=1000)            # (a)
    c.number("ground_elevation", low=-100, high=6000)                 # (b)
    roof = c.number("roof_height", required=False, low=0, high=1000)  # (c)
    centre = c.number("radiating_centre", low=0, high=1000)           # (d)
    if overall is not None and centre is not None and centre > overall:
        c.error("radiating_centre", "BC-RC-ABOVE-STRUCTURE",
                "The radiating centre (d) cannot be higher than the overall structure (a).")
    if overall is not None and roof is not None and roof > overall:
        c.error("roof_height", "BC-ROOF-ABOVE-STRUCTURE",
                "The roof (c) cannot be higher than the overall structure (a).")
    if roof is not None and centre is not None and centre < roof:
        c.error("radiating_centre", "BC-RC-BELOW-ROOF",
                "On a building, the radiating centre (d) is above the roof (c).")


def check_attestation_choice(c: Checks, s: Situation) -> str:
    choice = c.choice("site_attestation", ATTESTATION)
    if choice == "Attached":
        needs_document(c, s, docs.ATTESTATION, "attestation_file",
                       "completed ISED-ISDE2430 attestation form")
    if choice == "N/A" and not s.modification and not s.iboc:
        c.error("site_attestation", "BC-ATTESTATION-NA",
                "N/A is only for a modification that leaves the antenna system unchanged.")
    if s.main and c.data.get("letter_of_intent") is True:
        needs_document(c, s, docs.LETTER_OF_INTENT, "letter_of_intent_file",
                       "letter of intent to the land-use authority")
    return choice


def check_transmitter(c: Checks, s: Situation, catalogue: Catalogue) -> None:
    power = c.number("output_power", low=0.001, high=1_000_000)
    if c.data.get("on_air_certification") is True:
        pass  # details given at the on-air certification; the transmitter will be type-approved
    elif (chosen := c.text("transmitter_id", max_len=40)):
        found = catalogue.transmitter(chosen)
        if found is None:
            c.error("transmitter_id", "BC-TRANSMITTER-UNKNOWN",
                    "Look the transmitter up and choose one from the results, or tick "
                    "'specified at the on-air certification stage'.")
        elif power is not None and power > found.rated_power_w:
            c.error("output_power", "BC-TRANSMITTER-POWER",
                    "The operating power exceeds the transmitter's rated "
                    f"{found.rated_power_w:g} W.")
    if s.service == "DTV":
        c.choice("atsc_mh", YES_NO)
        c.number("rated_power", required=False, low=0)


def check_line(c: Checks) -> None:
    c.text("manufacturer", max_len=100)
    c.text("type", max_len=100)
    length = c.number("length", low=0.01, high=100_000)
    loss = c.number("loss", low=0, high=100)
    efficiency = c.number("efficiency", low=0, high=100)
    c.number("other_losses", required=False, low=0, high=100)
    if None not in (length, loss, efficiency):
        expected = calc.line_efficiency(float(loss or 0), float(length or 0))
        if abs(expected - float(efficiency or 0)) > 0.05:
            c.error("efficiency", "BC-EFFICIENCY",
                    f"The efficiency for this loss and length is {expected:.2f} %: use Calculate.")


def gains_required(polarization: str) -> tuple[str, ...]:
    horizontal, vertical = ("max_gain_h", "avg_gain_h"), ("max_gain_v", "avg_gain_v")
    if polarization == "Horizontal":
        return horizontal
    if polarization == "Vertical":
        return vertical
    return horizontal + vertical


def check_antenna(c: Checks, s: Situation) -> dict[str, float]:
    c.text("manufacturer", max_len=100)
    c.text("model", max_len=100)
    bays = c.number("bays", low=1, high=64)
    if bays is not None and not float(bays).is_integer():
        c.error("bays", "BC-BAYS", "Enter a whole number of bays.")
    c.number("vertical_dimension", low=0.01, high=500)
    polarization = c.choice("polarization", POLARIZATIONS)
    c.choice("pattern", PATTERNS)
    gains = _gains(c, polarization) if polarization else {}
    c.number("beam_tilt", low=-90, high=90)
    pat_needed = not s.modification or c.data.get("antenna_changed") is True
    if pat_needed:
        needs_document(c, s, docs.ANTENNA_PATTERN, "pat_file", "antenna pattern (PAT) file")
    return gains


def _gains(c: Checks, polarization: str) -> dict[str, float]:
    gains: dict[str, float] = {}
    for key in gains_required(polarization):
        raw = str(c.data.get(key) if c.data.get(key) is not None else "").strip()
        if raw and not calc.gain_precise(raw):
            c.error(key, "BC-GAIN-PRECISION", "Enter the gain in dBd with at most 3 decimals.")
            continue
        value = c.number(key, low=-30, high=30)
        if value is not None:
            gains[key] = value
    for axis in ("h", "v"):
        top, mean = gains.get(f"max_gain_{axis}"), gains.get(f"avg_gain_{axis}")
        if top is not None and mean is not None and mean > top:
            c.error(f"avg_gain_{axis}", "BC-GAIN-AVERAGE",
                    "The average gain cannot exceed the maximum gain.")
    return gains


def check_erp(c: Checks, s: Situation, polarization: str) -> None:
    c.number("ehaat", low=-500, high=3000)
    h = c.number("erp_max_h", low=0, high=1_000_000)
    v = c.number("erp_max_v", low=0, high=1_000_000)
    if polarization == "Vertical" and h:
        c.error("erp_max_h", "BC-ERP-POLARIZATION", "Enter 0: the antenna is vertically polarized.")
    if polarization == "Horizontal" and v:
        c.error("erp_max_v", "BC-ERP-POLARIZATION",
                "Enter 0: the antenna is horizontally polarized.")
    if h == 0 and v == 0:
        c.error("erp_max_h", "BC-ERP-NONE", "Enter the maximum ERP of at least one polarization.")
    if s.iboc:
        for side in ("lower_sideband", "upper_sideband"):
            _sideband(c, side)


def _sideband(c: Checks, key: str) -> None:
    raw = str(c.data.get(key) if c.data.get(key) is not None else "").strip()
    if not raw:
        c.error(key, "APP-REQUIRED", "This field is required.")
    elif raw.startswith("-"):
        c.error(key, "BC-SIDEBAND-SIGN", "Enter the level in dBc from the brief without the "
                "minus sign (e.g. 14, not -14).")
    elif calc.dbc_without_sign(raw) is None or float(raw) > 60:
        c.error(key, "BC-SIDEBAND", "Enter the level in dBc, a number from 0 to 60.")


def check_technical(c: Checks, s: Situation, catalogue: Catalogue) -> None:
    """A station's technical groups: site, transmitter, line, antenna, erp."""
    check_site(group(c, "site"))
    check_transmitter(group(c, "transmitter"), s, catalogue)
    check_line(group(c, "line"))
    if s.service != "AM":
        antenna = group(c, "antenna")
        check_antenna(antenna, s)
        polarization = str(antenna.data.get("polarization") or "")
        check_erp(group(c, "erp"), s, polarization)


def as_data(value: Any) -> Data:
    return value if isinstance(value, Mapping) else {}
