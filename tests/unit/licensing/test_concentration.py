"""Spectrum concentration before and after a transfer (CPC-2-1-23 5.6.4.2)."""

from __future__ import annotations

from services.licensing.domain import concentration as cc
from services.licensing.domain.conditions import shipped
from services.licensing.domain.reference import sample_area_tree

SELLER, SELLER_AFFILIATE, BUYER, OTHER = "100000001", "100000009", "100000002", "100000003"
GROUPS = cc.Groups(frozenset({SELLER, SELLER_AFFILIATE}), frozenset({BUYER}))
HOLDINGS = [
    cc.Holding("L1", SELLER, "3-013", ("1710-1720 MHz", "2110-2120 MHz"), True),  # AWS-1 20
    cc.Holding("L2", SELLER_AFFILIATE, "3-013", ("1720-1725 MHz",), True),         # AWS-1 5
    cc.Holding("L3", BUYER, "3-013", ("1850-1860 MHz",), True),                    # PCS 10
    cc.Holding("L4", OTHER, "1-001", ("1730-1745 MHz",), True),                    # national 15
    cc.Holding("L5", OTHER, "3-024", ("1745-1755 MHz",), True),                    # Toronto
    cc.Holding("L6", BUYER, "3-013", ("3650-3700 MHz",), False),                   # not mobile
]


def rows(moves: list[cc.Move]) -> dict[str, cc.Row]:
    return {r.band: r for r in cc.review(moves, HOLDINGS, GROUPS, shipped())}


def test_a_whole_transfer_moves_the_band_and_the_commercial_mobile_total() -> None:
    named = {h.licence_number: h for h in HOLDINGS}
    moves = cc.moves_of([{"licence_number": "L1", "scope": "whole"}], named)
    found = rows(moves)
    aws = found["AWS-1"]
    assert (aws.area, aws.before.licensee, aws.before.transferee, aws.before.total) == (
        "3-013", 25, 0, 40)  # the affiliate counts with the seller; the national licence too
    assert (aws.after.licensee, aws.after.transferee) == (5, 20)
    assert aws.before.share(aws.before.licensee) == 62.5
    every = found["*"]  # across commercial mobile bands: the PCS counts, the 3650 MHz does not
    assert (every.before.licensee, every.before.transferee, every.before.total) == (25, 10, 50)
    assert (every.after.licensee, every.after.transferee) == (5, 30)
    assert sorted(aws.licences) == ["L1", "L2"]


def test_bandwidth_geographic_and_subordinate_lines_move_only_their_part() -> None:
    named = {h.licence_number: h for h in HOLDINGS}
    bandwidth, geographic, subordinate = cc.moves_of([
        {"licence_number": "L1", "scope": "bandwidth", "block": "1710-1715"},
        {"licence_number": "L1", "scope": "geographic", "area_code": "4-038"},
        {"primary_licence": "L1", "frequency_range": "1715-1720", "geographic_area": ""},
    ], named)
    assert (bandwidth.area, bandwidth.blocks) == ("3-013", ("1710-1715",))
    assert (geographic.area, geographic.blocks) == ("4-038", HOLDINGS[0].blocks)
    assert (subordinate.area, subordinate.blocks) == ("3-013", ("1715-1720",))
    aws = rows([bandwidth])["AWS-1"]
    assert (aws.after.licensee, aws.after.transferee) == (20, 5)


def test_an_unknown_licence_moves_nothing() -> None:
    assert cc.moves_of([{"licence_number": "NOPE"}, {"scope": "whole"}], {}) == []
    assert cc.review([], HOLDINGS, GROUPS, shipped()) == []


def test_the_hierarchy_counts_containing_areas_less_what_was_divided_off() -> None:
    tree = sample_area_tree()
    region = cc.Holding("L8", SELLER, "2-006", ("1725-1730 MHz",), True)  # contains Ottawa
    divided = cc.Holding("L9", BUYER, "2-006", ("1745-1750 MHz",), True, ("3-013",))
    move = cc.Move("L1", "3-013", HOLDINGS[0].blocks)
    found = {r.band: r for r in cc.review([move], [*HOLDINGS, region, divided], GROUPS,
                                           shipped(), tree.touches)}
    aws = found["AWS-1"]
    assert (aws.before.licensee, aws.before.transferee) == (30, 0)  # L9 left Ottawa
    assert "L8" in aws.licences and "L9" not in aws.licences
