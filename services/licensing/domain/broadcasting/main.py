"""Checks of the main station's sections: general details, SCMO, multiplexed programs,
proposed parameters (CRTC exemption, class, call sign), the online attestation, AM details."""

from __future__ import annotations

import re

from services.licensing.domain.applications.framework import Checks
from services.licensing.domain.broadcasting import calculators as calc
from services.licensing.domain.broadcasting import callsigns as cs
from services.licensing.domain.broadcasting.callsigns import Catalogue
from services.licensing.domain.broadcasting.station import PROVINCES, YES_NO, check_site, group

SERVICES = ("FM", "AM", "DTV")
MODES = ("Stereo", "Mono")
PROGRAM_FEEDS = ("Microwave STL", "Satellite", "Internet/IP", "Fibre", "Telephone line",
                 "Off-air", "Co-located studio", "Other")
CRITICAL_HOURS = ("Same as daytime", "Same as night-time", "Specific parameters", "None")
ATTENDED = ("Non-attended", "Attended")
CLASSES = {"FM": ("LP", "VLP", "A1", "A", "B1", "B", "C1", "C", "D"),
           "AM": ("A", "B", "C", "D", "LP"),
           "DTV": ("VLP", "LP", "A", "B", "C")}
CONSULTATION = ("Completed", "Excluded", "After the CRTC decision (letter of intent)")
_CRTC_NUMBER = re.compile(r"^(CRTC )?\d{4}-\d{1,4}(-\d{1,2})?$")


def check_general_details(c: Checks) -> None:
    service = c.choice("service", SERVICES)
    frequency = c.number("frequency", low=0.001, high=100_000)
    channel = c.number("channel", low=0, high=100_000)
    if service and frequency is not None and channel is not None:
        _check_channel(c, service, frequency, channel)
    if c.choice("rebroadcast", YES_NO) == "Yes":
        origin = c.text("originating_station", max_len=20)
        if origin and not any(cs.valid_for(s, origin) for s in SERVICES):
            c.error("originating_station", "BC-CALL-SIGN-FORM",
                    "Look the originating station up and choose it.")
    if service != "DTV":
        c.choice("broadcast_mode", MODES)
    if service == "FM":
        c.choice("scmo", YES_NO)
    if c.choice("program_feed", PROGRAM_FEEDS) == "Other":
        c.text("program_feed_other", max_len=200)
    if service == "AM":
        c.choice("critical_hours", CRITICAL_HOURS)
        c.choice("attended", ATTENDED)
    if service == "DTV":
        c.choice("multiplexing", YES_NO)


def _check_channel(c: Checks, service: str, frequency: float, channel: float) -> None:
    if service == "FM":
        expected = calc.fm_channel(frequency)
        if expected is None:
            c.error("frequency", "BC-FM-FREQUENCY",
                    "An FM frequency is 88.1 to 107.9 MHz in steps of 0.2 MHz.")
        elif channel != expected:
            c.error("channel", "BC-CHANNEL", f"Channel {expected} goes with {frequency:g} MHz: "
                    "use Calculate from frequency.")
    elif service == "DTV":
        centre = calc.dtv_frequency(int(channel)) if channel.is_integer() else None
        if centre is None:
            c.error("channel", "BC-DTV-CHANNEL", "A DTV channel is 2 to 36.")
        elif abs(frequency - centre) > 1e-6:
            c.error("frequency", "BC-FREQUENCY", f"Channel {int(channel)} is {centre:g} MHz: "
                    "use Calculate from channel.")
    else:
        if not calc.am_frequency_valid(frequency):
            c.error("frequency", "BC-AM-FREQUENCY",
                    "An AM frequency is 530 to 1700 kHz in steps of 10 kHz.")
        elif channel != frequency:
            c.error("channel", "BC-AM-CHANNEL", "For AM, enter the frequency as the channel.")


def check_scmo(c: Checks) -> None:
    entries = c.data.get("entries")
    if not isinstance(entries, list) or not entries:
        c.error("entries", "APP-REQUIRED", "Add at least one SCMO, e.g. '57 kHz – RBDS'.")
        return
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        parsed = calc.parse_scmo(entry) if isinstance(entry, str) else None
        if parsed is None:
            c.error(f"entries[{index}]", "BC-SCMO-FORMAT", "Write '## kHz – Description', the "
                    "description one of: " + ", ".join(calc.SCMO_DESCRIPTIONS) + ".")
        elif parsed[0] in seen:
            c.error(f"entries[{index}]", "BC-SCMO-DUPLICATE", "This subcarrier is listed twice.")
        else:
            seen.add(parsed[0])


def check_multiplex(c: Checks) -> None:
    for index, row in enumerate(c.rows("programs")):
        r = c.sub("programs", index, row)
        sign = r.text("call_sign", max_len=20)
        if sign and not any(cs.valid_for(s, sign) for s in SERVICES):
            r.error("call_sign", "BC-CALL-SIGN-FORM", "This is not a broadcasting call sign.")
        account = r.text("account_number", required=False, max_len=20)
        if account and not account.isdigit():
            r.error("account_number", "BC-ACCOUNT-FORM", "An account number has digits only.")
        r.text("company_name", max_len=200)
        r.text("additional_information", required=False, max_len=1000)


def check_parameters(c: Checks, service: str, modification: bool, frequency: float | None,
                     catalogue: Catalogue, own_sign: str) -> None:
    _check_crtc(c, modification)
    c.text("principal_service_area", max_len=200)
    c.choice("province", PROVINCES)
    extended = service == "AM" and frequency is not None and calc.am_extended_band(frequency)
    klass = c.text("station_class", required=bool(service) and not extended, max_len=5)
    if extended and klass:
        c.error("station_class", "BC-EXTENDED-NO-CLASS",
                "Leave the station class unselected in the extended band (1605-1705 kHz).")
    elif klass and service and klass not in CLASSES[service]:
        c.error("station_class", "APP-CHOICE", "Choose one of: " + ", ".join(CLASSES[service]))
    if service == "AM" and c.choice("separate_sites", YES_NO) == "Yes":
        check_site(group(c, "day_site"))
    sign = cs.normalized(c.text("call_sign", max_len=20))
    if sign and service and not cs.valid_for(service, sign):
        c.error("call_sign", "BC-CALL-SIGN-FORM", f"This is not an {service} call sign "
                "(e.g. CKQZ-FM for FM, CKQZ for AM, CKQZ-DT for DTV).")
    elif sign and sign != own_sign and catalogue.in_use(sign):
        c.error("call_sign", "BC-CALL-SIGN-IN-USE", "This call sign is already in use: choose "
                "one from the list of available call signs.")


def _check_crtc(c: Checks, modification: bool) -> None:
    exempt = c.choice("crtc_exempt", YES_NO)
    order = c.text("crtc_exemption_order", required=exempt == "Yes", max_len=30)
    if order and not _CRTC_NUMBER.match(order):
        c.error("crtc_exemption_order", "BC-CRTC-NUMBER",
                "Write the CRTC number as it is published, e.g. 'CRTC 2019-123'.")
    elif order and exempt == "No" and not modification:
        c.error("crtc_exemption_order", "BC-CRTC-NOT-EXEMPT",
                "Leave this empty: the station needs a CRTC licence.")


def check_attestation_online(c: Checks) -> None:
    """The online ISED-ISDE2430 (CPC-2-0-03) attestation."""
    consultation = c.choice("consultation", CONSULTATION)
    if consultation and consultation != "Excluded":
        c.text("land_use_authority", max_len=200)
    for item in ("safety_code_6", "aeronautical", "environmental"):
        c.certified(item)
    c.text("name", max_len=200)
    c.text("title", max_len=200)
    c.day("signed_on")


def check_am(c: Checks) -> None:
    for key in ("power_day", "power_night", "rms_day", "rms_night", "q_day", "q_night",
                "eu_night"):
        c.number(key, low=0, high=1_000_000)
    c.number("output_power", low=0.001, high=1_000_000)
