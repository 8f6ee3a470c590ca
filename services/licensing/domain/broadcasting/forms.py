"""The wizard's fields per section, for the portal pages: name, kind and options. Labels are
catalogue keys ``licensing.bc.f.<name>``; the rules stay in the checks."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.licensing.domain.broadcasting import main as m
from services.licensing.domain.broadcasting import sections as s
from services.licensing.domain.broadcasting import station as st

TEXT, NUMBER, DATE, CHOICE, CHECK, LINES = "text", "number", "date", "choice", "check", "lines"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = TEXT
    options: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return "licensing.bc.f." + self.name.rsplit(".", 1)[-1]


def _site(prefix: str = "") -> tuple[Field, ...]:
    return (Field(prefix + "address"), Field(prefix + "city"),
            Field(prefix + "province", CHOICE, st.PROVINCES),
            Field(prefix + "latitude", NUMBER), Field(prefix + "longitude", NUMBER),
            Field(prefix + "height_overall", NUMBER), Field(prefix + "ground_elevation", NUMBER),
            Field(prefix + "roof_height", NUMBER), Field(prefix + "radiating_centre", NUMBER))


_YES_NO = st.YES_NO
FIELDS: dict[str, tuple[Field, ...]] = {
    "general": (Field("experimental", CHOICE, _YES_NO), Field("duration", CHOICE, s.DURATIONS),
                Field("start_date", DATE), Field("end_date", DATE), Field("justification"),
                Field("client_reference")),
    "account": (Field("account_number"), Field("licensee"), Field("administrative_contact"),
                Field("technical_contact")),
    "usage": (Field("purpose", CHOICE, s.PURPOSES), Field("other_description"),
              Field("certificate_number"), Field("supporting_information")),
    "stations": (),
    "main_general": (Field("service", CHOICE, m.SERVICES), Field("frequency", NUMBER),
                     Field("channel", NUMBER), Field("rebroadcast", CHOICE, _YES_NO),
                     Field("originating_station"), Field("broadcast_mode", CHOICE, m.MODES),
                     Field("scmo", CHOICE, _YES_NO),
                     Field("program_feed", CHOICE, m.PROGRAM_FEEDS), Field("program_feed_other"),
                     Field("critical_hours", CHOICE, m.CRITICAL_HOURS),
                     Field("attended", CHOICE, m.ATTENDED),
                     Field("multiplexing", CHOICE, _YES_NO)),
    "main_scmo": (Field("entries", LINES),),
    "main_multiplex": (),
    "main_parameters": (Field("crtc_exempt", CHOICE, _YES_NO), Field("crtc_exemption_order"),
                        Field("principal_service_area"),
                        Field("province", CHOICE, st.PROVINCES), Field("station_class"),
                        Field("call_sign"), Field("separate_sites", CHOICE, _YES_NO),
                        *_site("day_site.")),
    "main_site": (*_site(), Field("site_attestation", CHOICE, st.ATTESTATION),
                  Field("letter_of_intent", CHECK)),
    "main_attestation": (Field("consultation", CHOICE, m.CONSULTATION),
                         Field("land_use_authority"), Field("safety_code_6", CHECK),
                         Field("aeronautical", CHECK), Field("environmental", CHECK),
                         Field("name"), Field("title"), Field("signed_on", DATE)),
    "main_am": tuple(Field(k, NUMBER) for k in (
        "power_day", "power_night", "output_power", "rms_day", "rms_night", "q_day", "q_night",
        "eu_night")),
    "main_transmitter": (Field("transmitter_id"), Field("on_air_certification", CHECK),
                         Field("output_power", NUMBER), Field("atsc_mh", CHOICE, _YES_NO),
                         Field("rated_power", NUMBER)),
    "main_line": (Field("manufacturer"), Field("type"), Field("length", NUMBER),
                  Field("loss", NUMBER), Field("efficiency", NUMBER),
                  Field("other_losses", NUMBER)),
    "main_antenna": (Field("manufacturer"), Field("model"), Field("bays", NUMBER),
                     Field("vertical_dimension", NUMBER),
                     Field("polarization", CHOICE, st.POLARIZATIONS),
                     Field("pattern", CHOICE, st.PATTERNS), Field("max_gain_h", NUMBER),
                     Field("avg_gain_h", NUMBER), Field("max_gain_v", NUMBER),
                     Field("avg_gain_v", NUMBER), Field("beam_tilt", NUMBER),
                     Field("antenna_changed", CHECK)),
    "main_erp": (Field("ehaat", NUMBER), Field("erp_max_h", NUMBER), Field("erp_max_v", NUMBER)),
    "attachments": (),
    "summary": (),
    "auxiliary": (),
}

# Sections made of rows: (list field, the fields of one row, a blank row offered for adding)
ROWS: dict[str, tuple[str, tuple[Field, ...], bool]] = {
    "main_multiplex": ("programs", (Field("call_sign"), Field("company_name"),
                                    Field("account_number"), Field("additional_information")),
                       True),
    "auxiliary": ("stations", (Field("call_sign"), Field("service_mode"),
                               Field("erp.lower_sideband", NUMBER),
                               Field("erp.upper_sideband", NUMBER)), False),
}


def fields_for(section: str, rows: int) -> list[Field]:
    """The section's fields; a row section's for ``rows`` rows (plus a blank one to add)."""
    if section not in ROWS:
        return list(FIELDS.get(section, ()))
    key, row_fields, blank = ROWS[section]
    count = rows + (1 if blank else 0)
    return [Field(f"{key}.{i}.{f.name}", f.kind, f.options) for i in range(count)
            for f in row_fields]


def _get(data: Any, path: list[str]) -> Any:
    for part in path:
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, Mapping):
            data = data.get(part)
        else:
            return None
    return data


def _set(data: dict[str, Any], path: list[str], value: Any) -> None:
    target: Any = data
    for index, part in enumerate(path[:-1]):
        nxt = path[index + 1]
        if isinstance(target, list):
            slot = int(part)
            while len(target) <= slot:
                target.append({})
            if not isinstance(target[slot], dict):
                target[slot] = {}
            target = target[slot]
            continue
        if not isinstance(target.get(part), (dict, list)):
            target[part] = [] if nxt.isdigit() else {}
        target = target[part]
    if isinstance(target, dict):
        target[path[-1]] = value


def shown_value(data: Mapping[str, Any], field: Field) -> str:
    """A field's saved value as the form shows it."""
    value = _get(data, field.name.split("."))
    if field.kind == LINES:
        return "\n".join(str(v) for v in value) if isinstance(value, list) else ""
    if field.kind == CHECK:
        return "true" if value is True else ""
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def parsed(fields: list[Field], values: Mapping[str, str],
           current: Mapping[str, Any]) -> dict[str, Any]:
    """The section's data after a form post: the posted fields over what was saved (fields the
    form does not show, e.g. an auxiliary station's antenna, are kept); blank rows dropped."""
    data: dict[str, Any] = copy.deepcopy(dict(current))
    for field in fields:
        raw = values.get(field.name, "")
        value: Any = raw
        if field.kind == CHECK:
            value = raw in ("true", "on", "yes")
        elif field.kind == LINES:
            value = [line.strip() for line in raw.splitlines() if line.strip()]
        _set(data, field.name.split("."), value)
    for key, _, blank in ROWS.values():
        rows = data.get(key)
        if blank and isinstance(rows, list):
            data[key] = [r for r in rows if not isinstance(r, dict)
                         or any(str(v).strip() for v in r.values())]
    return data
