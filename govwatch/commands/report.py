"""Write a report file: `report KIND [--format csv|xlsx|json] [--out DIR]` (KIND: nightly-unregistered)."""

from __future__ import annotations

import argparse
from datetime import datetime

from audit.reports import FORMATS, REPORTS, write_report
from govwatch.commands import backend_from, settings_from
from govwatch.commands.audit import parse_as_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=sorted(REPORTS), metavar="KIND", help=f"one of: {', '.join(REPORTS)}")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="csv", help="file format (default csv)")
    parser.add_argument("--out", help="directory (default: reports_dir from the config)")
    parser.add_argument("--as-of", dest="as_of", metavar="DATE", help="date in the file name (default today)")


def run(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of) if args.as_of else datetime.now().replace(microsecond=0)
    settings = settings_from(args)
    backend = backend_from(args)
    try:
        path = write_report(backend, settings, args.kind, args.fmt, as_of, args.out)
    finally:
        backend.close()
    print(path)
    return 0
