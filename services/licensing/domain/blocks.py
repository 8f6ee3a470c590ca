"""Frequency blocks written ``"1710-1720 MHz"``: parsing, containment and division."""

from __future__ import annotations

import re

_BLOCK = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*(?:MHz)?\s*$", re.IGNORECASE)

Block = tuple[float, float]


def parse_block(text: str) -> Block | None:
    """``(low, high)`` in MHz, or None when the text is not a block with low < high."""
    match = _BLOCK.match(str(text))
    if not match:
        return None
    low, high = float(match.group(1)), float(match.group(2))
    return (low, high) if low < high else None


def show(block: Block) -> str:
    return f"{block[0]:g}-{block[1]:g} MHz"


def within(block: Block, blocks: list[Block]) -> bool:
    return any(low <= block[0] and block[1] <= high for low, high in blocks)


def overlaps(a: Block, b: Block) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def subtract(blocks: list[Block], taken: Block) -> list[Block]:
    """What remains of ``blocks`` once ``taken`` is divided off (bandwidth division)."""
    remaining: list[Block] = []
    for low, high in blocks:
        if not overlaps((low, high), taken):
            remaining.append((low, high))
            continue
        if low < taken[0]:
            remaining.append((low, taken[0]))
        if taken[1] < high:
            remaining.append((taken[1], high))
    return remaining
