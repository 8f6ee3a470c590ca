"""The fee schedule, held as data (RIC-42 amounts are configuration, not code)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class FeeSchedule:
    annual: dict[str, Decimal]
    due_days: int = 30

    def annual_fee(self, key: str) -> Decimal:
        return self.annual.get(key, self.annual.get("default", Decimal("0")))

    @classmethod
    def load(cls, path: str = "") -> FeeSchedule:
        """The schedule shipped with the package, or the file at ``path`` when given."""
        if path:
            text = Path(path).read_text(encoding="utf-8")
        else:
            text = (resources.files("services.licensing") / "data" / "fees.json").read_text(
                encoding="utf-8")
        raw = json.loads(text)
        return cls({k: Decimal(str(v)) for k, v in raw["annual"].items()},
                   int(raw.get("due_days", 30)))
