"""``python -m services.gateway.serve``: the real-stack gateway process."""

from __future__ import annotations

import argparse
import json

import uvicorn

from services.gateway.proxy import build_proxy
from shared.config import ServiceSettings
from shared.heap import freeze_startup_heap
from shared.logging import configure_logging


def main() -> None:
    parser = argparse.ArgumentParser(prog="gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--upstreams", required=True, help='JSON: {"identity": "http://..."}')
    args = parser.parse_args()
    configure_logging(json=True)
    settings = ServiceSettings()
    settings.check_token_secret()
    app = build_proxy(json.loads(args.upstreams), settings)
    freeze_startup_heap()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_keep_alive=75)


if __name__ == "__main__":
    main()
