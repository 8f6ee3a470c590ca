"""The wizard's form fields: posted values into section data and back."""

from __future__ import annotations

from services.licensing.domain.broadcasting import forms as f


def test_posted_fields_become_nested_section_data_and_back() -> None:
    fields = f.fields_for("main_parameters", 0)
    current = {"call_sign": "OLD", "kept": "x"}
    data = f.parsed(fields, {"call_sign": "CKQZ", "separate_sites": "Yes",
                             "day_site.latitude": "45.1"}, current)
    assert data["call_sign"] == "CKQZ" and data["kept"] == "x"
    assert data["day_site"]["latitude"] == "45.1"
    latitude = next(x for x in fields if x.name == "day_site.latitude")
    assert f.shown_value(data, latitude) == "45.1"
    assert latitude.label == "licensing.bc.f.latitude"
    assert current == {"call_sign": "OLD", "kept": "x"}


def test_lists_checks_and_rows() -> None:
    posted = "57 kHz – RBDS\n\n92 kHz - Broadcasting"
    scmo = f.parsed(f.fields_for("main_scmo", 0), {"entries": posted}, {})
    assert scmo == {"entries": ["57 kHz – RBDS", "92 kHz - Broadcasting"]}
    shown = f.shown_value(scmo, f.Field("entries", f.LINES))
    assert shown == "57 kHz – RBDS\n92 kHz - Broadcasting"
    site = f.parsed([f.Field("letter_of_intent", f.CHECK)], {"letter_of_intent": "true"}, {})
    assert site == {"letter_of_intent": True}
    programs = f.parsed(f.fields_for("main_multiplex", 1), {
        "programs.0.call_sign": "CFTO-DT", "programs.0.company_name": "Bell"}, {
        "programs": [{"call_sign": "X"}]})
    assert programs == {"programs": [{"call_sign": "CFTO-DT", "company_name": "Bell",
                                      "account_number": "", "additional_information": ""}]}
    aux = {"stations": [{"station_type": "IBOC", "erp": {"ehaat": "95"}}]}
    filled = f.parsed(f.fields_for("auxiliary", 1), {"stations.0.erp.lower_sideband": "14"}, aux)
    assert filled["stations"][0]["erp"] == {"ehaat": "95", "lower_sideband": "14",
                                            "upper_sideband": ""}
    assert filled["stations"][0]["station_type"] == "IBOC"
