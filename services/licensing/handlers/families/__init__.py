"""The families this service knows: the four built here, and broadcasting beside them."""

from __future__ import annotations

from services.licensing.handlers.families import radio, spectrum, subordinate, transfer
from services.licensing.handlers.plugin import Families, Family


def builtin() -> list[Family]:
    return [radio.FAMILY, spectrum.FAMILY, transfer.FAMILY, subordinate.FAMILY]


def all_families() -> Families:
    # imported here: the broadcasting module itself imports handlers.families.common
    from services.licensing.handlers import broadcasting

    return Families([*builtin(), broadcasting.FAMILY])
