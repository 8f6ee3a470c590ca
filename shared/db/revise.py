"""``python -m shared.db.revise SERVICE "message"``: autogenerate a migration for one service."""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

from shared.db.migrate import revision, upgrade


def main(service: str, message: str) -> None:
    tables = importlib.import_module(f"services.{service}.adapters.tables")
    service_dir = Path(str(tables.__file__)).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/revise.db"
        upgrade(service_dir, url)
        revision(service_dir, url, message)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
