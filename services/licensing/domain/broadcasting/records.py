"""What a certificate keeps of an approved application, and what is copied back from it:
the pre-filled modification, and an auxiliary station loaded from the main station."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.licensing.domain.applications.framework import Draft
from services.licensing.domain.broadcasting import callsigns as cs
from services.licensing.domain.broadcasting import sections as s
from services.licensing.domain.broadcasting.station import as_data

# The station's sections: kept on the certificate, pre-filled into a modification.
RECORD_SECTIONS = ("main_general", "main_scmo", "main_multiplex", "main_parameters",
                   "main_site", "main_am", "main_transmitter", "main_line", "main_antenna",
                   "main_erp", "auxiliary")
_AUX_GROUPS = {"site": "main_site", "transmitter": "main_transmitter", "line": "main_line",
               "antenna": "main_antenna", "erp": "main_erp"}


def record_of(draft: Draft) -> dict[str, dict[str, Any]]:
    return {key: dict(as_data(draft.get(key))) for key in RECORD_SECTIONS if draft.get(key)}


def signs_of(draft: Draft) -> list[tuple[str, str]]:
    """The call signs an application puts in use: (sign, main | auxiliary | iboc)."""
    main = cs.normalized(str(as_data(draft.get("main_parameters")).get("call_sign") or ""))
    signs = [(main, "main")] if main else []
    rows = as_data(draft.get("auxiliary")).get("stations")
    for row in rows if isinstance(rows, list) else []:
        sign = cs.normalized(str(as_data(row).get("call_sign") or ""))
        if sign:
            signs.append((sign, "iboc" if as_data(row).get("station_type") == s.IBOC
                          else "auxiliary"))
    return signs


def prefilled(record: Mapping[str, Any], certificate_number: str,
              purpose: str = "Change of facilities") -> dict[str, dict[str, Any]]:
    """A modification's sections pre-filled from the certificate on file. Attestation,
    attachments and the antenna's PAT file are the new application's own."""
    sections = {key: dict(as_data(record.get(key))) for key in RECORD_SECTIONS
                if record.get(key)}
    site = sections.get("main_site")
    if site is not None:
        site["site_attestation"] = "N/A"
        site.pop("attestation_file", None)
    antenna = sections.get("main_antenna")
    if antenna is not None:
        antenna["antenna_changed"] = False
    sections["usage"] = {"purpose": purpose, "certificate_number": certificate_number}
    return sections


def auxiliary_from_main(draft: Draft, station_type: str) -> dict[str, Any]:
    """'Load data from Main Station': an auxiliary row copying the main station's technical
    data, with its own call sign (XXXX-FM-AX# or XXXX-HD) and no service mode."""
    row: dict[str, Any] = {key: dict(as_data(draft.get(section)))
                           for key, section in _AUX_GROUPS.items()}
    site = row["site"]
    row["site_attestation"] = "N/A" if station_type == s.IBOC else site.get(
        "site_attestation", "")
    for key in ("site_attestation", "attestation_file", "letter_of_intent",
                "letter_of_intent_file"):
        site.pop(key, None)
    main = str(as_data(draft.get("main_parameters")).get("call_sign") or "")
    existing = as_data(draft.get("auxiliary")).get("stations")
    count = sum(1 for r in existing if as_data(r).get("station_type") != s.IBOC) if isinstance(
        existing, list) else 0
    row["station_type"] = station_type
    row["service_mode"] = ""
    row["load_from_main"] = True
    if main:
        row["call_sign"] = (cs.iboc_sign(main) if station_type == s.IBOC
                            else cs.auxiliary_sign(main, count + 1))
    return row
