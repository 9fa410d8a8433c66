"""Write a report file: `report KIND [--format F] [--out DIR]` (KIND: nightly-unregistered, inspection).

`report inspection --period 2026-Q4|2026-11|2026-11-01..2026-11-30 --format html|xlsx|docx|json`
writes the inspection report (检查通报) of that period.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from audit.reports import FORMATS, REPORTS, write_report
from audit.reports.inspection import FORMATS as INSPECTION_FORMATS
from audit.reports.inspection import build_inspection, parse_period, write_inspection
from core.config import Settings
from core.errors import BadInputError
from govwatch.commands import opened_store
from govwatch.commands.audit import as_of_from
from index.base import Backend
from ops.progress import ProgressBackend

KINDS = (*REPORTS, "inspection")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    parser.add_argument("--format", dest="fmt", choices=sorted({*FORMATS, *INSPECTION_FORMATS}),
                        help="file format (default csv; html for inspection)")
    parser.add_argument("--out", help="directory (default: reports_dir from the config)")
    parser.add_argument("--as-of", dest="as_of", metavar="DATE", help="date in the file name (default today)")
    parser.add_argument("--period", help="inspection period: 2026-Q4, 2026-11 or 2026-11-01..2026-11-30 "
                                         "(default: the current month)")


def run(args: argparse.Namespace) -> int:
    as_of = as_of_from(args)
    with opened_store(args) as (settings, backend):
        if args.kind == "inspection":
            path = inspection(backend, settings, args, as_of)
        else:
            path = write_report(backend, settings, args.kind, args.fmt or "csv", as_of, args.out)
    print(path)
    return 0


def inspection(backend: Backend, settings: Settings, args: argparse.Namespace, as_of: datetime) -> Path:
    """Build the inspection report of --period once and write it as --format."""
    fmt = args.fmt or "html"
    if fmt not in INSPECTION_FORMATS:
        raise BadInputError(f"inspection reports are {', '.join(INSPECTION_FORMATS)}, not {fmt!r}", field="--format")
    period = parse_period(args.period or f"{as_of:%Y-%m}")
    report = build_inspection(ProgressBackend(backend, f"inspection {period.label}"),  # type: ignore[arg-type]
                              settings, period, as_of)
    return write_inspection(report, fmt, args.out or settings.reports_dir)
