"""Checks of the application-level sections: general information, account, usage/purpose,
attachments and the auxiliary stations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from services.licensing.domain.applications import documents as docs
from services.licensing.domain.applications.framework import Checks, Context, Data
from services.licensing.domain.broadcasting import callsigns as cs
from services.licensing.domain.broadcasting.callsigns import Catalogue
from services.licensing.domain.broadcasting.station import (
    ATTESTATION,
    YES_NO,
    Situation,
    as_data,
    check_technical,
    needs_document,
)

STANDARD, SHORT_TERM, TEMPORARY = "Standard term", "Short term", "Temporary operation"
DURATIONS = (STANDARD, SHORT_TERM, TEMPORARY)
SHORT_TERM_MAX_DAYS = 28
TEMPORARY_MAX_DAYS = 365

NEW = "New"
OTHER = "Other"
MULTIPLEX = "Addition of multiplexed operation"
AUX_OR_IBOC = "Addition of auxiliary or IBOC transmitter"
PURPOSES = ("Change of facilities", "Change of address", "Transfer of assets", AUX_OR_IBOC,
            "Change of call letters", NEW, OTHER, MULTIPLEX)

ALTERNATE, STANDBY, IBOC = "Alternate", "Standby", "IBOC"
STATION_TYPES = (ALTERNATE, STANDBY, IBOC)
IBOC_MODES = ("MP1", "MP2", "MP3", "MP5", "MP6", "MP11")
SAME_AS_MAIN = (("transmitter", "output_power"), ("site", "latitude"), ("site", "longitude"),
                ("site", "radiating_centre"))


@dataclass(frozen=True)
class Facts:
    """What several sections' rules depend on, read once from the draft."""

    service: str          # FM | AM | DTV ('' while unknown)
    modification: bool
    main_call_sign: str
    iboc: bool            # an IBOC auxiliary station is proposed
    documents: frozenset[str] = frozenset()  # the kinds of document uploaded


def requested_days(start: date, end: date) -> int:
    """Both days count: 1 to 28 June is 28 days."""
    return (end - start).days + 1


def check_general(c: Checks, ctx: Context, facts: Facts) -> None:
    experimental = c.choice("experimental", YES_NO)
    if experimental == "Yes" and facts.iboc:
        c.error("experimental", "BC-IBOC-EXPERIMENTAL",
                "Enter 'No': an IBOC transmitter is not an experimental authority.")
    duration = c.choice("duration", DURATIONS)
    c.text("client_reference", required=False, max_len=50)
    if duration not in (SHORT_TERM, TEMPORARY):
        return
    start, end = c.day("start_date"), c.day("end_date")
    if start is None or end is None:
        return
    if start < ctx.today:
        c.error("start_date", "BC-START-PAST", "The start date cannot be in the past.")
    if end < start:
        c.error("end_date", "BC-END-BEFORE-START", "The end date is before the start date.")
        return
    days = requested_days(start, end)
    if duration == SHORT_TERM and days > SHORT_TERM_MAX_DAYS:
        c.error("end_date", "BC-SHORT-TERM-TOO-LONG",
                f"A short term lasts at most {SHORT_TERM_MAX_DAYS} days ({days} requested).")
    if duration == TEMPORARY and days > TEMPORARY_MAX_DAYS and not c.text(
            "justification", required=False, max_len=2000):
        c.error("justification", "BC-TEMPORARY-JUSTIFY",
                f"A temporary operation of more than {TEMPORARY_MAX_DAYS} days needs a "
                "justification.")


def check_account(c: Checks, ctx: Context) -> None:
    account = c.text("account_number", max_len=20)
    if account and account != ctx.account_number:
        c.error("account_number", "BC-ACCOUNT", "The account is the one the application is "
                f"made for ({ctx.account_number}).")
    c.text("licensee", max_len=200)
    c.text("administrative_contact", max_len=200)
    c.text("technical_contact", max_len=200)


def check_usage(c: Checks, ctx: Context, facts: Facts) -> None:
    purpose = c.choice("purpose", PURPOSES)
    if purpose == OTHER:
        c.text("other_description", max_len=200)
    c.text("supporting_information", required=False, max_len=4000)
    if purpose == MULTIPLEX and facts.service and facts.service != "DTV":
        c.error("purpose", "BC-MULTIPLEX-DTV", "Multiplexed operation is for DTV stations only.")
    if not purpose or purpose == NEW:
        return
    number = c.text("certificate_number", max_len=9)
    if not number:
        return
    fact = ctx.licences.get(number)
    if not re.fullmatch(r"\d{9}", number) or fact is None or fact.kind != "broadcasting":
        c.error("certificate_number", "BC-CERTIFICATE-UNKNOWN",
                "There is no broadcasting certificate with this number.")
    elif fact.account_number != ctx.account_number:
        c.error("certificate_number", "BC-CERTIFICATE-NOT-YOURS",
                "This certificate is held by another account.")
    elif fact.status != "Granted":
        c.error("certificate_number", "BC-CERTIFICATE-STATUS",
                f"This certificate is {fact.status.lower()}; only a granted one can be modified.")


def check_attachments(c: Checks, facts: Facts) -> None:
    """The engineering brief (and any other document) is uploaded to the application."""
    if docs.ENGINEERING_BRIEF not in facts.documents:
        c.error("engineering_brief", docs.MISSING,
                "Upload the engineering brief (Documents of the application).")


def check_auxiliaries(c: Checks, facts: Facts, catalogue: Catalogue) -> None:
    if c.data.get("stations") not in (None, []) and not isinstance(c.data["stations"], list):
        c.error("stations", "APP-ROWS", "List the auxiliary stations as rows.")
    rows = c.rows("stations", required=False)
    for index, row in enumerate(rows):
        _check_auxiliary(c.sub("stations", index, row), facts, catalogue)


def _check_auxiliary(r: Checks, facts: Facts, catalogue: Catalogue) -> None:
    kind = r.choice("station_type", STATION_TYPES)
    iboc = kind == IBOC
    if iboc and facts.service and facts.service != "FM":
        r.error("station_type", "BC-IBOC-FM", "IBOC transmitters are added to FM stations.")
    mode = r.text("service_mode", required=iboc, max_len=10)
    if iboc and mode and mode not in IBOC_MODES:
        r.error("service_mode", "APP-CHOICE", "Choose one of: " + ", ".join(IBOC_MODES) + ".")
    if not iboc and mode:
        r.error("service_mode", "BC-SERVICE-MODE", "Leave the service mode unselected for an "
                "alternate or standby transmitter.")
    sign = cs.normalized(r.text("call_sign", max_len=20))
    if sign and facts.main_call_sign:
        expected = cs.iboc_sign(facts.main_call_sign) if iboc else None
        if iboc and sign != expected:
            r.error("call_sign", "BC-IBOC-CALL-SIGN", f"The IBOC call sign is {expected}.")
        if not iboc and kind and not cs.auxiliary_valid(facts.main_call_sign, sign):
            r.error("call_sign", "BC-AUX-CALL-SIGN", "An auxiliary call sign is "
                    f"{cs.auxiliary_sign(facts.main_call_sign, 1)} (AX1 to AX9).")
    choice = r.choice("site_attestation", ATTESTATION)
    situation = Situation(facts.service or "FM", facts.modification, main=False, iboc=iboc,
                          documents=facts.documents)
    if choice == "Attached":
        needs_document(r, situation, docs.ATTESTATION, "attestation_file",
                       "completed ISED-ISDE2430 attestation form")
    check_technical(r, situation, catalogue)


def check_alternate_matches(r: Checks, row: Data, main: dict[str, Data]) -> None:
    """An alternate transmitter keeps the main one's output power, coordinates and height."""
    for group_key, key in SAME_AS_MAIN:
        mine, theirs = as_data(row.get(group_key)).get(key), main[group_key].get(key)
        if mine is None or theirs is None:
            continue
        try:
            same = abs(float(mine) - float(theirs)) < 1e-9
        except (TypeError, ValueError):
            continue
        if not same:
            r.error(f"{group_key}.{key}", "BC-ALTERNATE-DIFFERS",
                    "An alternate transmitter has the main station's output power, "
                    "coordinates and antenna height.")
