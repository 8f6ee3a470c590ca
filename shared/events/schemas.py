"""JSON Schemas and an AsyncAPI document generated from the payload models.

``python -m shared.events.schemas`` rewrites ``docs/events/``; a test fails when the committed
files drift from the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from shared.events.envelope import Envelope
from shared.events.registry import PARTITIONS, REGISTRY

OUT = Path(__file__).resolve().parents[2] / "docs" / "events"


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def payload_schemas() -> dict[str, dict[str, Any]]:
    return {f"{kind}.v{version}": model.model_json_schema()
            for (kind, version), model in sorted(REGISTRY.items())}


def asyncapi() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for (kind, version), model in sorted(REGISTRY.items()):
        name = f"{kind}.v{version}"
        messages[name] = {"name": kind, "title": model.__name__,
                          "summary": (model.__doc__ or "").strip().split("\n")[0],
                          "headers": {"$ref": "#/components/schemas/Envelope"},
                          "payload": {"$ref": f"schemas/{name}.json"}}
        channel = channels.setdefault(model.TOPIC, {
            "address": model.TOPIC, "messages": {},
            "bindings": {"kafka": {"partitions": PARTITIONS, "key": "envelope subject"}}})
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    return {"asyncapi": "3.0.0",
            "info": {"title": "Spectrum Management System events", "version": "1.0.0",
                     "description": "Every event is a JSON envelope (CloudEvents names) whose "
                                    "`data` is the payload; the Kafka key is `subject`."},
            "channels": channels,
            "components": {"messages": messages,
                           "schemas": {"Envelope": Envelope.model_json_schema()}}}


def generated() -> dict[Path, str]:
    files = {OUT / "schemas" / f"{name}.json": _dump(schema)
             for name, schema in payload_schemas().items()}
    files[OUT / "asyncapi.json"] = _dump(asyncapi())
    return files


def write() -> None:
    (OUT / "schemas").mkdir(parents=True, exist_ok=True)
    for old in (OUT / "schemas").glob("*.json"):
        old.unlink()
    for path, text in generated().items():
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write()
    sys.stdout.write(f"wrote {len(generated())} files under {OUT}\n")
