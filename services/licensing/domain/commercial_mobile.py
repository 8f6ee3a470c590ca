"""Commercial mobile spectrum (CPC-2-1-23 5.6.4.1): Cellular, PCS, AWS, BRS, WCS and the
700 MHz MBS band. Whether a licence is commercial mobile follows from its frequency blocks
and the services of the bands they fall in, never from what an applicant ticks. The band
table is data (``data/commercial_mobile_bands.csv``): bands allocated to commercial mobile
services later are added there."""

from __future__ import annotations

from collections.abc import Iterable

from services.licensing.domain.blocks import overlaps, parse_block
from services.licensing.domain.reference import commercial_mobile_bands as bands


def services_of(blocks: Iterable[str]) -> list[str]:
    """The commercial mobile services whose bands the blocks fall in (e.g. ["AWS-1"])."""
    parsed = [b for b in map(parse_block, blocks) if b]
    return sorted({band.service for band in bands() for block in parsed
                   if overlaps(block, (band.low_mhz, band.high_mhz))})


def is_commercial_mobile(blocks: Iterable[str]) -> bool:
    return bool(services_of(blocks))
