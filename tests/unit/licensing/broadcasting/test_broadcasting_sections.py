"""Table tests of the broadcasting sections' rules, over the shipped example application."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from services.licensing.domain.applications.framework import (
    Context,
    DocumentFact,
    LicenceFact,
    validate,
)
from services.licensing.domain.broadcasting.spec import TITLES, family_spec
from services.licensing.handlers.broadcasting import (
    EXAMPLE_DOCUMENTS,
    example_draft,
    load_catalogue,
)

CATALOGUE = load_catalogue()
SPEC = family_spec(CATALOGUE)
TODAY = date(2026, 11, 22)
CERT = LicenceFact("010900001", "100000001", "broadcasting", "Granted", date(2026, 1, 1),
                   date(2027, 3, 31), service="FM CKQZ-FM")


def ctx(documents: tuple[DocumentFact, ...] = EXAMPLE_DOCUMENTS,
        **licences: LicenceFact) -> Context:
    return Context(today=TODAY, account_number="100000001", licences=licences,
                   documents=documents)


def errors(draft: dict[str, Any], context: Context | None = None) -> set[tuple[str, str, str]]:
    return {(i.section, i.field, i.code) for i in validate(SPEC, draft, context or ctx())}


def changed(changes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    draft = copy.deepcopy(example_draft())
    for section, fields in changes.items():
        target = draft.setdefault(section, {})
        for key, value in fields.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
    return draft


def test_the_example_application_is_valid_and_sections_follow_the_seed() -> None:
    assert errors(example_draft()) == set()
    assert [s.key for s in SPEC.sections] == [k for k, _ in TITLES]
    assert [k for k, _ in TITLES][:5] == ["general", "account", "usage", "stations",
                                          "main_general"]


def test_an_empty_draft_lists_required_fields_per_section() -> None:
    found = errors({}, ctx(documents=()))
    for expected in [("general", "experimental", "APP-REQUIRED"),
                     ("general", "duration", "APP-REQUIRED"),
                     ("usage", "purpose", "APP-REQUIRED"),
                     ("main_general", "frequency", "APP-REQUIRED"),
                     ("main_parameters", "call_sign", "APP-REQUIRED"),
                     ("main_site", "latitude", "APP-REQUIRED"),
                     ("main_line", "efficiency", "APP-REQUIRED"),
                     ("attachments", "engineering_brief", "APP-DOCUMENT-MISSING")]:
        assert expected in found


def test_malformed_sections_are_errors_not_crashes() -> None:
    draft = changed({})
    draft["main_site"] = ["not", "a", "mapping"]  # type: ignore[assignment]
    draft["auxiliary"] = {"stations": "nope"}
    found = errors(draft)
    assert ("main_site", "latitude", "APP-REQUIRED") in found
    assert ("auxiliary", "stations", "APP-ROWS") in found


GENERAL = [
    ({"duration": "Short term", "start_date": "2026-12-01", "end_date": "2026-12-28"}, None),
    ({"duration": "Short term", "start_date": "2026-12-01", "end_date": "2026-12-29"},
     ("end_date", "BC-SHORT-TERM-TOO-LONG")),
    ({"duration": "Short term", "start_date": "2026-12-01"}, ("end_date", "APP-REQUIRED")),
    ({"duration": "Temporary operation", "start_date": "2026-12-01",
      "end_date": "2027-11-30"}, None),
    ({"duration": "Temporary operation", "start_date": "2026-12-01",
      "end_date": "2027-12-01"}, ("justification", "BC-TEMPORARY-JUSTIFY")),
    ({"duration": "Temporary operation", "start_date": "2026-12-01", "end_date": "2028-06-01",
      "justification": "Tower rebuild after the fire."}, None),
    ({"duration": "Short term", "start_date": "2026-11-01", "end_date": "2026-11-20"},
     ("start_date", "BC-START-PAST")),
    ({"duration": "Short term", "start_date": "2026-12-10", "end_date": "2026-12-01"},
     ("end_date", "BC-END-BEFORE-START")),
    ({"duration": "Short term", "start_date": "01/12/2026", "end_date": "2026-12-10"},
     ("start_date", "APP-DATE")),
    ({"duration": "Forever"}, ("duration", "APP-CHOICE")),
    ({"experimental": "Maybe"}, ("experimental", "APP-CHOICE")),
]


@pytest.mark.parametrize(("fields", "expected"), GENERAL)
def test_general_information_durations(fields: dict[str, Any],
                                       expected: tuple[str, str] | None) -> None:
    found = {(f, c) for s, f, c in errors(changed({"general": fields})) if s == "general"}
    assert found == ({expected} if expected else set())


MAIN = [
    ({"main_general": {"frequency": "99.9", "channel": "261"}}, "main_general", "channel",
     "BC-CHANNEL"),
    ({"main_general": {"frequency": "100.0"}}, "main_general", "frequency", "BC-FM-FREQUENCY"),
    ({"main_general": {"program_feed": "Other"}}, "main_general", "program_feed_other",
     "APP-REQUIRED"),
    ({"main_general": {"rebroadcast": "Yes"}}, "main_general", "originating_station",
     "APP-REQUIRED"),
    ({"main_scmo": {"entries": ["57 kHz – Traffic"]}}, "main_scmo", "entries[0]",
     "BC-SCMO-FORMAT"),
    ({"main_scmo": {"entries": ["57 kHz – RBDS", "57 kHz - Broadcasting"]}}, "main_scmo",
     "entries[1]", "BC-SCMO-DUPLICATE"),
    ({"main_parameters": {"crtc_exempt": "No"}}, "main_parameters", "crtc_exemption_order",
     "BC-CRTC-NOT-EXEMPT"),
    ({"main_parameters": {"crtc_exemption_order": None}}, "main_parameters",
     "crtc_exemption_order", "APP-REQUIRED"),
    ({"main_parameters": {"call_sign": "CHFI-FM"}}, "main_parameters", "call_sign",
     "BC-CALL-SIGN-IN-USE"),
    ({"main_parameters": {"call_sign": "CKQZ"}}, "main_parameters", "call_sign",
     "BC-CALL-SIGN-FORM"),
    ({"main_parameters": {"station_class": "Z"}}, "main_parameters", "station_class",
     "APP-CHOICE"),
    ({"usage": {"purpose": "Other"}}, "usage", "other_description", "APP-REQUIRED"),
    ({"usage": {"purpose": "Addition of multiplexed operation"}}, "usage", "purpose",
     "BC-MULTIPLEX-DTV"),
    ({"usage": {"purpose": "Change of facilities"}}, "usage", "certificate_number",
     "APP-REQUIRED"),
    ({"usage": {"purpose": "Change of facilities", "certificate_number": "010999999"}}, "usage",
     "certificate_number", "BC-CERTIFICATE-UNKNOWN"),
    ({"account": {"account_number": "100000002"}}, "account", "account_number", "BC-ACCOUNT"),
]


@pytest.mark.parametrize(("changes", "section", "field", "code"), MAIN)
def test_main_station_rules(changes: dict[str, dict[str, Any]], section: str, field: str,
                            code: str) -> None:
    assert (section, field, code) in errors(changed(changes))


SITE = [
    ({"latitude": "91"}, "latitude", "APP-RANGE"),
    ({"longitude": "2.35"}, "longitude", "APP-RANGE"),
    ({"radiating_centre": "65"}, "radiating_centre", "BC-RC-ABOVE-STRUCTURE"),
    ({"roof_height": "58"}, "radiating_centre", "BC-RC-BELOW-ROOF"),
    ({"roof_height": "70"}, "roof_height", "BC-ROOF-ABOVE-STRUCTURE"),
    ({"site_attestation": "Attached"}, "attestation_file", "APP-DOCUMENT-MISSING"),
    ({"letter_of_intent": True}, "letter_of_intent_file", "APP-DOCUMENT-MISSING"),
    ({"site_attestation": "N/A"}, "site_attestation", "BC-ATTESTATION-NA"),
]


@pytest.mark.parametrize(("fields", "field", "code"), SITE)
def test_site_rules(fields: dict[str, Any], field: str, code: str) -> None:
    assert ("main_site", field, code) in errors(changed({"main_site": fields}))


def test_online_attestation_only_when_chosen() -> None:
    draft = changed({"main_attestation": {"safety_code_6": False}})
    assert ("main_attestation", "safety_code_6", "APP-CERTIFY") in errors(draft)
    draft["main_site"]["site_attestation"] = "Attached"
    attestation = DocumentFact("d3", "attestation", "ised-isde2430.pdf")
    assert errors(draft, ctx((*EXAMPLE_DOCUMENTS, attestation))) == set()


TECHNICAL = [
    ("main_transmitter", {"transmitter_id": "NOPE"}, "transmitter_id",
     "BC-TRANSMITTER-UNKNOWN"),
    ("main_transmitter", {"output_power": "20000"}, "output_power", "BC-TRANSMITTER-POWER"),
    ("main_line", {"efficiency": "95"}, "efficiency", "BC-EFFICIENCY"),
    ("main_line", {"length": "-1"}, "length", "APP-RANGE"),
    ("main_antenna", {"max_gain_h": "1.5001"}, "max_gain_h", "BC-GAIN-PRECISION"),
    ("main_antenna", {"avg_gain_v": "2"}, "avg_gain_v", "BC-GAIN-AVERAGE"),
    ("main_antenna", {"beam_tilt": None}, "beam_tilt", "APP-REQUIRED"),
    ("main_antenna", {"bays": "2.5"}, "bays", "BC-BAYS"),
    ("main_erp", {"erp_max_h": "0", "erp_max_v": "0"}, "erp_max_h", "BC-ERP-NONE"),
    ("main_erp", {"ehaat": None}, "ehaat", "APP-REQUIRED"),
]


@pytest.mark.parametrize(("section", "fields", "field", "code"), TECHNICAL)
def test_technical_rules(section: str, fields: dict[str, Any], field: str, code: str) -> None:
    assert (section, field, code) in errors(changed({section: fields}))


def test_on_air_certification_replaces_the_transmitter_lookup() -> None:
    draft = changed({"main_transmitter": {"transmitter_id": None,
                                          "on_air_certification": True}})
    assert errors(draft) == set()
    draft["main_transmitter"]["on_air_certification"] = False
    assert ("main_transmitter", "transmitter_id", "APP-REQUIRED") in errors(draft)


def test_polarization_decides_gains_and_erp() -> None:
    draft = changed({"main_antenna": {"polarization": "Horizontal", "max_gain_v": None,
                                      "avg_gain_v": None}})
    assert ("main_erp", "erp_max_v", "BC-ERP-POLARIZATION") in errors(draft)
    draft["main_erp"]["erp_max_v"] = "0"
    assert errors(draft) == set()
    draft["main_antenna"]["polarization"] = "Vertical"
    found = errors(draft)
    assert ("main_antenna", "max_gain_v", "APP-REQUIRED") in found


def test_modification_uses_the_certificate_on_file() -> None:
    draft = changed({"usage": {"purpose": "Change of facilities",
                               "certificate_number": "010900001"},
                     "main_parameters": {"crtc_exempt": "No",
                                         "crtc_exemption_order": "CRTC 2019-123"},
                     "main_site": {"site_attestation": "N/A"},
                     "main_antenna": {}})
    no_pat = EXAMPLE_DOCUMENTS[:1]
    assert errors(draft, ctx(no_pat, **{"010900001": CERT})) == set()  # own sign, old CRTC
    other = LicenceFact(**{**CERT.__dict__, "account_number": "100000002"})
    assert ("usage", "certificate_number", "BC-CERTIFICATE-NOT-YOURS") in errors(
        draft, ctx(**{"010900001": other}))
    expired = LicenceFact(**{**CERT.__dict__, "status": "Expired"})
    assert ("usage", "certificate_number", "BC-CERTIFICATE-STATUS") in errors(
        draft, ctx(**{"010900001": expired}))
    draft["main_antenna"]["antenna_changed"] = True
    assert ("main_antenna", "pat_file", "APP-DOCUMENT-MISSING") in errors(
        draft, ctx(no_pat, **{"010900001": CERT}))
