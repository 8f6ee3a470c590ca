"""The ``spectrum`` command: run the system, check a site-data file offline, and more."""

from __future__ import annotations

import argparse
import sys


def _run(args: argparse.Namespace) -> int:
    import structlog
    import uvicorn

    from services.gateway.embedded import EmbeddedOptions, EmbeddedSystem, build_app
    from shared.logging import configure_logging
    from shared.web.server import Server

    configure_logging(json=args.json_logs)
    structlog.get_logger().warning(
        "embedded.development_token_secret",
        note="the embedded demo signs sessions with the published development secret: "
             "a demo, not a server to expose. Every `spectrum service` process refuses it.")
    options = EmbeddedOptions(base_url=f"http://{args.host}:{args.port}",
                              smtp_port=args.smtp_port, demo=not args.no_demo,
                              freeze_heap=True)
    system = EmbeddedSystem(options)
    config = uvicorn.Config(build_app(system), host=args.host, port=args.port,
                            log_level="warning")

    def stopping() -> None:
        for service in system.services:
            service.stopping()

    Server(config, on_stop=stopping).run()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spectrum", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="the whole system in one process (embedded mode)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--smtp-port", type=int, default=8025)
    run.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    run.add_argument("--json-logs", action="store_true")
    run.set_defaults(func=_run)
    commands.add_parser("sitedata", help="site-data tools: 'spectrum sitedata validate FILE'",
                        add_help=False)
    commands.add_parser("licensing", help="licensing operator commands: 'spectrum licensing "
                        "load-service-areas FILE'", add_help=False)
    commands.add_parser("service", help="run one service process on the real stack: "
                        "'spectrum service NAME api|consume|relay'", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sitedata"]:
        from services.sitedata.cli import main as sitedata_main

        return sitedata_main(argv[1:])
    if argv[:1] == ["licensing"]:
        from services.licensing.cli import main as licensing_main

        return licensing_main(argv[1:])
    if argv[:1] == ["service"]:
        from services.gateway.process import main as service_main

        return service_main(argv[1:])
    args = _parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
