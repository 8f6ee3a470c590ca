"""The wizard's form fields <-> a section's data, both ways."""

from __future__ import annotations

import pytest

from services.licensing.domain.families import spectrum, transfer
from services.licensing.web.forms import to_data, to_form


def test_rows_checks_and_choices_round_trip() -> None:
    section = spectrum.SPEC.section("spectrum")
    assert section is not None
    data = to_data(section, {"spectra": "3650-3660, 4-038\n\n3700-3710, , Lake area, yes"})
    assert data == {"spectra": [
        {"block": "3650-3660", "area_code": "4-038"},
        {"block": "3700-3710", "area_code": "", "custom_area": "Lake area",
         "map_enclosed": True}]}
    assert to_form(section, data)["spectra"] == (
        "3650-3660, 4-038, , \n3700-3710, , Lake area, yes")


def test_unticked_checkbox_is_false_and_empty_text_is_left_out() -> None:
    section = transfer.SPEC.section("part2")
    assert section is not None
    data = to_data(section, {"name": "Prairie", "authority": "on"})
    assert data["name"] == "Prairie" and data["authority"] is True
    assert data["eligibility"] is False and "address" not in data
    assert to_form(section, data)["authority"] == "on"


def test_a_section_without_fields_is_json() -> None:
    from services.licensing.domain.applications.framework import Section

    section = Section("free", "Free", lambda c, ctx: None)
    assert to_data(section, {"data_json": '{"a": 1}'}) == {"a": 1}
    with pytest.raises(ValueError):
        to_data(section, {"data_json": "[1]"})
    with pytest.raises(ValueError):
        to_data(section, {"data_json": "{"})
