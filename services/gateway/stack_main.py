"""``make stack``: start the real-stack topology and keep it up until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from services.gateway.stack import Stack
from shared.logging import configure_logging


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="make stack", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="the gateway's port")
    args = parser.parse_args(argv)
    configure_logging(json=False)
    stack = Stack(Path("var"), gateway_port=args.port, keep_data=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stack.start()
        sys.stdout.write(f"Ready: the demo licensee can sign in and upload. "
                         f"Gateway on {stack.url} (PostgreSQL {stack.pg.url()}, Kafka "
                         f"{stack.kafka.bootstrap}, S3 {stack.s3.endpoint}, SMTP sink port "
                         f"{stack.mail.port}; mail in {stack.root / 'mail'}, logs in "
                         f"{stack.logs}). Ctrl-C stops it.\n")
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
