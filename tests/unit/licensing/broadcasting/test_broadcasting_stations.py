"""AM, DTV, auxiliary and IBOC stations; pre-filled modifications and 'load from main'."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from services.licensing.domain.applications.framework import Context, validate
from services.licensing.domain.broadcasting import records
from services.licensing.domain.broadcasting.spec import applies, family_spec
from services.licensing.handlers.broadcasting import (
    EXAMPLE_DOCUMENTS,
    example_draft,
    load_catalogue,
)

SPEC = family_spec(load_catalogue())
CTX = Context(today=date(2026, 11, 22), account_number="100000001",
              documents=EXAMPLE_DOCUMENTS)


def errors(draft: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(i.section, i.field, i.code) for i in validate(SPEC, draft, CTX)}


def am_draft(khz: str = "1150", klass: str = "B") -> dict[str, Any]:
    draft = copy.deepcopy(example_draft())
    draft["main_general"] = {"service": "AM", "frequency": khz, "channel": khz,
                             "rebroadcast": "No", "broadcast_mode": "Mono",
                             "program_feed": "Internet/IP", "critical_hours": "None",
                             "attended": "Non-attended"}
    draft.pop("main_scmo")
    draft["main_parameters"].update(call_sign="CKQZ", station_class=klass, separate_sites="No")
    draft["main_am"] = {"power_day": "10000", "power_night": "5000", "output_power": "10000",
                        "rms_day": "300", "rms_night": "280", "q_day": "0", "q_night": "0",
                        "eu_night": "8.5"}
    draft["main_transmitter"] = {"transmitter_id": "TX-NAU-NX5", "output_power": "5000"}
    return draft


def dtv_draft() -> dict[str, Any]:
    draft = copy.deepcopy(example_draft())
    draft["main_general"] = {"service": "DTV", "frequency": "509", "channel": "20",
                             "rebroadcast": "No", "program_feed": "Fibre",
                             "multiplexing": "Yes"}
    draft.pop("main_scmo")
    draft["main_multiplex"] = {"programs": [{"call_sign": "CFTO-DT", "company_name": "Bell Media",
                                             "account_number": "100000050"}]}
    draft["main_parameters"].update(call_sign="CKQZ-DT", station_class="LP")
    draft["main_transmitter"] = {"transmitter_id": "TX-RS-THU9", "output_power": "5000",
                                 "atsc_mh": "No"}
    return draft


def test_am_station_is_valid_without_antenna_gains_and_erp() -> None:
    draft = am_draft()
    assert errors(draft) == set()
    assert not applies("main_antenna", draft) and applies("main_am", draft)


@pytest.mark.parametrize(("change", "expected"), [
    ({"main_general": {"channel": "1160"}}, ("main_general", "channel", "BC-AM-CHANNEL")),
    ({"main_general": {"frequency": "1155", "channel": "1155"}},
     ("main_general", "frequency", "BC-AM-FREQUENCY")),
    ({"main_general": {"critical_hours": ""}}, ("main_general", "critical_hours",
                                                "APP-REQUIRED")),
    ({"main_am": {"q_night": ""}}, ("main_am", "q_night", "APP-REQUIRED")),
    ({"main_am": {"eu_night": "-1"}}, ("main_am", "eu_night", "APP-RANGE")),
    ({"main_parameters": {"separate_sites": "Yes"}},
     ("main_parameters", "day_site.latitude", "APP-REQUIRED")),
])
def test_am_rules(change: dict[str, dict[str, Any]], expected: tuple[str, str, str]) -> None:
    draft = am_draft()
    for section, fields in change.items():
        draft[section].update(fields)
    assert expected in errors(draft)


def test_am_extended_band_has_no_station_class() -> None:
    assert errors(am_draft("1650", "")) == set()
    assert ("main_parameters", "station_class", "BC-EXTENDED-NO-CLASS") in errors(
        am_draft("1650", "B"))
    assert ("main_parameters", "station_class", "APP-REQUIRED") in errors(am_draft("1150", ""))


def test_am_separate_day_site() -> None:
    draft = am_draft()
    draft["main_parameters"].update(separate_sites="Yes", day_site=dict(draft["main_site"]))
    assert errors(draft) == set()


def test_dtv_station_with_multiplexed_programs() -> None:
    draft = dtv_draft()
    assert errors(draft) == set()
    draft["main_general"]["frequency"] = "510"
    assert ("main_general", "frequency", "BC-FREQUENCY") in errors(draft)
    draft = dtv_draft()
    draft["main_multiplex"]["programs"][0].pop("company_name")
    draft["main_transmitter"].pop("atsc_mh")
    found = errors(draft)
    assert ("main_multiplex", "programs[0].company_name", "APP-REQUIRED") in found
    assert ("main_transmitter", "atsc_mh", "APP-REQUIRED") in found
    draft["main_general"]["multiplexing"] = "No"
    assert not applies("main_multiplex", draft)


def with_aux(kind: str, **overrides: Any) -> dict[str, Any]:
    draft = copy.deepcopy(example_draft())
    row = records.auxiliary_from_main(draft, kind)
    row.update(overrides)
    draft["auxiliary"] = {"stations": [row]}
    return draft


def test_auxiliary_loaded_from_main_is_valid() -> None:
    draft = with_aux("Alternate")
    assert draft["auxiliary"]["stations"][0]["call_sign"] == "CKQZ-FM-AX1"
    assert errors(draft) == set()
    standby = with_aux("Standby")
    standby["auxiliary"]["stations"].append(records.auxiliary_from_main(standby, "Standby"))
    assert standby["auxiliary"]["stations"][1]["call_sign"] == "CKQZ-FM-AX2"


def test_alternate_keeps_the_main_power_coordinates_and_height() -> None:
    draft = with_aux("Alternate")
    draft["auxiliary"]["stations"][0]["transmitter"]["output_power"] = "4000"
    assert ("auxiliary", "stations[0].transmitter.output_power",
            "BC-ALTERNATE-DIFFERS") in errors(draft)


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"call_sign": "CKQZ-FM-1"}, ("stations[0].call_sign", "BC-AUX-CALL-SIGN")),
    ({"service_mode": "MP1"}, ("stations[0].service_mode", "BC-SERVICE-MODE")),
    ({"station_type": "Backup"}, ("stations[0].station_type", "APP-CHOICE")),
])
def test_auxiliary_rules(overrides: dict[str, Any], expected: tuple[str, str]) -> None:
    assert ("auxiliary", *expected) in errors(with_aux("Standby", **overrides))


def iboc(**erp: str) -> dict[str, Any]:
    draft = with_aux("IBOC", service_mode="MP3")
    draft["auxiliary"]["stations"][0]["erp"].update(erp)
    return draft


def test_iboc_station() -> None:
    draft = iboc(lower_sideband="14", upper_sideband="14.5")
    assert draft["auxiliary"]["stations"][0]["call_sign"] == "CKQZ-HD"
    assert errors(draft) == set()
    found = errors(iboc(lower_sideband="-14"))
    assert ("auxiliary", "stations[0].erp.lower_sideband", "BC-SIDEBAND-SIGN") in found
    assert ("auxiliary", "stations[0].erp.upper_sideband", "APP-REQUIRED") in found
    wrong = iboc(lower_sideband="14", upper_sideband="14")
    wrong["auxiliary"]["stations"][0]["call_sign"] = "CKQZ-FM-HD"
    assert ("auxiliary", "stations[0].call_sign", "BC-IBOC-CALL-SIGN") in errors(wrong)
    wrong["general"]["experimental"] = "Yes"
    assert ("general", "experimental", "BC-IBOC-EXPERIMENTAL") in errors(wrong)
    no_mode = iboc(lower_sideband="14", upper_sideband="14")
    no_mode["auxiliary"]["stations"][0]["service_mode"] = ""
    assert ("auxiliary", "stations[0].service_mode", "APP-REQUIRED") in errors(no_mode)


def test_prefilled_modification_copies_the_station_not_the_paperwork() -> None:
    record = records.record_of(with_aux("Standby"))
    assert "general" not in record and "attachments" not in record
    sections = records.prefilled(record, "010900001")
    assert sections["usage"] == {"purpose": "Change of facilities",
                                 "certificate_number": "010900001"}
    assert sections["main_site"]["site_attestation"] == "N/A"
    assert sections["main_antenna"]["antenna_changed"] is False
    assert sections["auxiliary"]["stations"][0]["call_sign"] == "CKQZ-FM-AX1"
    assert records.signs_of(with_aux("IBOC")) == [("CKQZ-FM", "main"), ("CKQZ-HD", "iboc")]
