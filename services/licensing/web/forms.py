"""Between a wizard step's form fields and a section's saved data (driven by ``Field``s)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from services.licensing.domain.applications.framework import Field, Section

TRUE = ("on", "yes", "true", "1", "y")


def _cell(value: str) -> Any:
    text = value.strip()
    if text.lower() in ("yes", "true"):
        return True
    if text.lower() in ("no", "false"):
        return False
    return text


def to_data(section: Section, form: Mapping[str, str]) -> dict[str, Any]:
    """The section's data from a posted form (a section without fields posts JSON)."""
    if not section.fields:
        parsed = json.loads(form.get("data_json") or "{}")
        if not isinstance(parsed, dict):
            raise ValueError("not an object")
        return parsed
    data: dict[str, Any] = {}
    for field in section.fields:
        raw = form.get(field.name, "")
        if field.kind == "check":
            data[field.name] = raw.lower() in TRUE
        elif field.kind == "list":
            data[field.name] = [v.strip() for v in raw.split(",") if v.strip()]
        elif field.kind == "rows":
            data[field.name] = [dict(zip(field.options, map(_cell, line.split(",")),
                                         strict=False))
                                for line in raw.splitlines() if line.strip()]
        elif raw:
            data[field.name] = raw
    return data


def _shown(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def to_form(section: Section, data: Mapping[str, Any]) -> dict[str, str]:
    """What to pre-fill the step's fields with."""
    if not section.fields:
        return {"data_json": json.dumps(dict(data), indent=2, default=str)}
    values: dict[str, str] = {}
    for field in section.fields:
        value = data.get(field.name)
        if field.kind == "rows" and isinstance(value, list):
            values[field.name] = "\n".join(
                ", ".join(_shown(row.get(c)) for c in field.options)
                for row in value if isinstance(row, dict))
        elif field.kind == "list" and isinstance(value, list):
            values[field.name] = ", ".join(map(str, value))
        elif field.kind == "check":
            values[field.name] = "on" if value is True else ""
        else:
            values[field.name] = _shown(value)
    return values


def field_kinds(fields: tuple[Field, ...]) -> list[dict[str, Any]]:
    return [{"name": f.name, "kind": f.kind, "options": list(f.options)} for f in fields]
