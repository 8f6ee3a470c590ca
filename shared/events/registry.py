"""Every payload model, by (type, version); the topic each type travels on."""

from __future__ import annotations

from shared.events import identity, licensing, notifications, reports, sitedata
from shared.events.envelope import Envelope, Payload

_MODULES = (identity, licensing, sitedata, notifications, reports)


def _collect() -> dict[tuple[str, int], type[Payload]]:
    found: dict[tuple[str, int], type[Payload]] = {}
    for module in _MODULES:
        for model in getattr(module, "EVENTS", ()):
            key = (model.TYPE, model.VERSION)
            if key in found:
                raise ValueError(f"event {key} registered twice")
            found[key] = model
    return found


REGISTRY: dict[tuple[str, int], type[Payload]] = _collect()


def topics() -> dict[str, int]:
    """Every topic with its partition count (the same in embedded, stack and deploy)."""
    return {model.TOPIC: PARTITIONS for model in REGISTRY.values()}


PARTITIONS = 6


def model_for(envelope: Envelope) -> type[Payload] | None:
    return REGISTRY.get((envelope.type, envelope.version))


def decode(envelope: Envelope) -> Payload | None:
    """The typed payload, or None for a type this build does not know (skipped by consumers)."""
    model = model_for(envelope)
    return None if model is None else model.model_validate(envelope.data)
