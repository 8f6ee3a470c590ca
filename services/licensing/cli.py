"""Operator commands of the licensing service:
``spectrum licensing load-service-areas FILE [FILE ...] [--dry-run]``.

The database is the licensing service's (``SMS_LICENSING_DATABASE_URL``, the embedded
``var/licensing.db`` by default); its migrations are applied first.

Exit status: 0 done, 1 the file is not a usable set of service areas, 2 usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TextIO

from services.licensing.adapters import tables as t
from services.licensing.adapters.service_area_files import (
    LoadedArea,
    ServiceAreaFileError,
    read_files,
)
from services.licensing.domain.geography import problems
from services.licensing.handlers.geography import LoadReport, replace_service_areas
from services.licensing.settings import LicensingSettings
from shared.clock import SystemClock
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.migrate import upgrade
from shared.errors import DomainError
from shared.ids import Uuid7Source
from shared.messaging.uow import UnitOfWorkFactory

USAGE, DONE, NOT_VALID = 2, 0, 1
SERVICE_DIR = Path(__file__).parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spectrum licensing",
                                     description="Operator commands of the licensing service.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    load = commands.add_parser(
        "load-service-areas", help="replace the service-area hierarchy with ISED's full set",
        description="Replace the tier 1-5 service areas with those of ISED's published files "
        "(CSV table, GeoJSON or KML map layers; see docs/licensing.md).")
    load.add_argument("files", type=Path, nargs="+", metavar="FILE")
    load.add_argument("--dry-run", action="store_true",
                      help="read and check the files, change nothing")
    return parser


def main(argv: list[str] | None = None, settings: LicensingSettings | None = None,
         out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else USAGE
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        print(f"spectrum licensing: error: no such file: {', '.join(missing)}", file=err)
        return USAGE
    try:
        loaded = read_files(args.files)
    except (ServiceAreaFileError, OSError) as problem:
        print(f"spectrum licensing: {problem}", file=err)
        return NOT_VALID
    if args.dry_run:
        found = problems([x.area for x in loaded])
        for line in found:
            print(f"problem: {line}", file=err)
        print(f"{len(loaded)} service areas read; " + ("not a usable set." if found else
                                                       "a usable set (nothing changed)."),
              file=out)
        return NOT_VALID if found else DONE
    source = ", ".join(p.name for p in args.files)
    try:
        report = asyncio.run(_load(settings or LicensingSettings(), loaded, source))
    except DomainError as problem:
        print(f"spectrum licensing: {problem.message} {problem.fix or ''}".strip(), file=err)
        return NOT_VALID
    _print(report, source, out, err)
    return DONE


async def _load(settings: LicensingSettings, loaded: list[LoadedArea],
                source: str) -> LoadReport:
    await asyncio.to_thread(upgrade, SERVICE_DIR, settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        uows = UnitOfWorkFactory(make_sessionmaker(engine), t.tables, clock=SystemClock(),
                                 ids=Uuid7Source(), source="sms.licensing")
        async with uows() as uow:
            report = await replace_service_areas(uow, loaded, source)
            await uow.commit()
        return report
    finally:
        await engine.dispose()


def _print(report: LoadReport, source: str, out: TextIO, err: TextIO) -> None:
    tiers = ", ".join(f"tier {tier}: {count}" for tier, count in report.by_tier.items())
    print(f"Loaded {report.total} service areas ({tiers}; {report.polygons} with a polygon) "
          f"from {source}.", file=out)
    for code, licences in sorted(report.missing_codes.items()):
        print(f"warning: {code} is named by licence(s) {', '.join(sorted(licences))} but is "
              "not in the new set; correct those licences.", file=err)
