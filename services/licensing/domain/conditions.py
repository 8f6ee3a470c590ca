"""Standard conditions of spectrum licences (CPC-2-1-23 5.13) and the bands' templates.

A band (AWS-1, PCS, 3650 MHz...) lists the frequency ranges it covers and the conditions it
adds to the standard ones (CPC-2-0-17 roaming and tower sharing, roll-out within so many
years). A new spectrum licence gets its band's template, worded in the licence's language;
a block in no band listed gets the standard conditions only. The texts and bands are data
(``data/licence_conditions.json``), replaceable by an operator's file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from services.licensing.domain.blocks import Block, parse_block, within

LANGUAGES = ("en", "fr")
STANDARD = "Standard"  # the template of a block in no listed band


@dataclass(frozen=True)
class Band:
    name: str
    ranges: tuple[Block, ...]
    add: tuple[str, ...] = ()  # condition codes beyond the standard ones
    rollout_years: int | None = None

    def holds(self, block: Block) -> bool:
        return within(block, list(self.ranges))


@dataclass(frozen=True)
class Template:
    """The conditions a new licence in a band gets: their codes and their wording."""

    band: str
    codes: tuple[str, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class ConditionTemplates:
    texts: Mapping[str, Mapping[str, str]]  # code -> language -> text
    standard: tuple[str, ...]
    bands: tuple[Band, ...]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> ConditionTemplates:
        bands = tuple(Band(str(b["name"]), tuple((float(lo), float(hi)) for lo, hi in
                                                 b["ranges"]),
                           tuple(str(c) for c in b.get("add", ())),
                           int(b["rollout_years"]) if b.get("rollout_years") else None)
                      for b in raw.get("bands", ()))
        templates = cls(raw["conditions"], tuple(raw["standard"]), bands)
        unknown = {c for b in bands for c in b.add} | set(templates.standard)
        unknown -= set(templates.texts)
        if unknown:
            raise ValueError(f"conditions named by a template but not written: {sorted(unknown)}")
        return templates

    def band_of(self, block: Block) -> Band | None:
        return next((b for b in self.bands if b.holds(block)), None)

    def band_of_blocks(self, blocks: Iterable[str]) -> Band | None:
        """The band of the first block that lies in one (a licence's blocks are one band)."""
        for text in blocks:
            block = parse_block(text)
            band = self.band_of(block) if block else None
            if band is not None:
                return band
        return None

    def template(self, block: Block, language: str = "en") -> Template:
        band = self.band_of(block)
        codes = self.standard + (band.add if band else ())
        lang = language if language in LANGUAGES else "en"
        years = str(band.rollout_years) if band and band.rollout_years else ""
        texts = tuple(self.texts[c][lang].replace("{years}", years) for c in codes)
        return Template(band.name if band else STANDARD, codes, texts)


@cache
def shipped() -> ConditionTemplates:
    text = (resources.files("services.licensing") / "data" / "licence_conditions.json"
            ).read_text(encoding="utf-8")
    return ConditionTemplates.parse(json.loads(text))


@cache
def load(path: str = "") -> ConditionTemplates:
    """The operator's file when named (``SMS_LICENSING_CONDITIONS_FILE``), else the shipped."""
    if not path:
        return shipped()
    return ConditionTemplates.parse(json.loads(Path(path).read_text(encoding="utf-8")))
