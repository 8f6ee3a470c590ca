"""Service areas as a hierarchy, and the rules of divisions and subordinates built on it."""

from __future__ import annotations

from datetime import date

from services.licensing.domain.applications.framework import (
    Checks,
    Context,
    DocumentFact,
    LicenceFact,
)
from services.licensing.domain.families import subordinate, transfer
from services.licensing.domain.geography import AreaTree, ServiceArea, problems
from services.licensing.domain.reference import sample_area_tree

TREE = sample_area_tree()


def _fact(number: str, area: str, excluded: tuple[str, ...] = ()) -> LicenceFact:
    return LicenceFact(number, "100000001", "spectrum", "Granted", date(2020, 4, 1),
                       date(2030, 3, 31), "AWS-1", area, ("1710-1720 MHz",), True, None,
                       excluded)


def _row_errors(check: object, section: str, row: dict[str, object],
                fact: LicenceFact) -> dict[str, str]:
    ctx = Context(date(2026, 11, 22), "100000001", licences={fact.licence_number: fact},
                  documents=(DocumentFact("d1", "map", "area.pdf"),))  # the map enclosed
    checks = Checks(section, {})
    check(checks.sub("licences", 0, row), ctx)  # type: ignore[operator]
    return {i.field.removeprefix("licences[0]."): i.code for i in checks.issues}


def test_tiers_nest_and_an_area_is_inside_itself() -> None:
    assert TREE.lineage("5-140") == ["5-140", "4-038", "3-013", "2-006", "1-001"]
    assert TREE.within("4-038", "2-006") and TREE.within("3-013", "3-013")
    assert not TREE.within("3-051", "2-009")  # Vancouver is not in Northern Ontario
    assert not TREE.within("2-006", "3-013")
    assert TREE.descendants("3-013") == {"4-038", "5-140"}
    assert not TREE.within("my own area", "1-001")  # a custom area is inside nothing


def test_what_a_licence_holds_after_a_division() -> None:
    assert TREE.holds("2-006", [], "4-038")
    assert not TREE.holds("2-006", ["3-013"], "4-038")  # divided off with Ottawa
    assert not TREE.holds("2-006", ["4-038"], "3-013")  # part of Ottawa is gone
    assert TREE.touches("2-006", ["4-038"], "3-013")
    assert not TREE.touches("3-013", ["3-013"], "4-038")
    assert TREE.touches("4-038", [], "2-006")  # a smaller licence inside a larger area
    assert TREE.describe("2-006", ["3-013"]) == (
        "Eastern Ontario and Outaouais (2-006) less Ottawa (3-013)")


def test_a_set_that_is_not_one_hierarchy_is_refused() -> None:
    areas = [ServiceArea("1-001", "Canada", 1), ServiceArea("2-001", "NL", 2, "1-001"),
             ServiceArea("3-001", "St. John's", 3, "1-001"),
             ServiceArea("4-001", "Orphan", 4, "3-999"), ServiceArea("2-001", "NL", 2, "1-001")]
    assert problems(areas) == [
        "2-001: listed twice",
        "3-001: a tier 3 area must sit in a tier 2 area, not in 1-001 (tier 1)",
        "4-001: parent 3-999 is not in the file"]
    assert problems(areas[:2]) == []
    assert problems([ServiceArea("2-001", "NL", 2, "1-001")])[-1] == "no tier 1 area (Canada)"
    assert len(AreaTree(areas)) == 4


def test_a_geographic_division_takes_only_what_the_licence_holds() -> None:
    northern = _fact("010898104", "2-009")
    row = {"licence_number": "010898104", "scope": "geographic"}
    check = transfer._licence_row
    assert _row_errors(check, "part1", {**row, "area_code": "3-051"}, northern) == {
        "area_code": "TRF-AREA-NOT-HELD"}  # Vancouver, under a Northern Ontario licence
    assert _row_errors(check, "part1", {**row, "area_code": "2-009"}, northern) == {
        "area_code": "TRF-AREA-WHOLE"}
    eastern = _fact("010898103", "2-006", ("4-038",))
    assert _row_errors(check, "part1", {**row, "licence_number": "010898103",
                                        "area_code": "5-140"}, eastern) == {
        "area_code": "TRF-AREA-NOT-HELD"}  # already divided off with 4-038
    assert _row_errors(check, "part1", {**row, "licence_number": "010898103",
                                        "area_code": "3-024"}, eastern) == {
        "area_code": "TRF-AREA-NOT-HELD"}
    assert _row_errors(check, "part1", {**row, "licence_number": "010898103",
                                        "area_code": "3-013"}, _fact("010898103",
                                                                     "2-006")) == {}


def test_a_subordinate_area_lies_within_the_primary() -> None:
    ottawa = _fact("010898101", "3-013")
    row = {"primary_licence": "010898101", "expires_on": "2029-03-31",
           "frequency_range": "1712-1714", "map_enclosed": True}
    check = subordinate._row
    assert _row_errors(check, "part1", {**row, "geographic_area": "3-051"}, ottawa) == {
        "geographic_area": "SUB-AREA"}  # Vancouver under an Ottawa licence
    assert _row_errors(check, "part1", {**row, "geographic_area": "4-038"}, ottawa) == {}
    assert _row_errors(check, "part1", {**row, "geographic_area": "3-013"}, ottawa) == {}
