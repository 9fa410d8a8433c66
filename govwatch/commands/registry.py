"""Manage the registry (备案库): `registry import FILE` (CSV in UTF-8/GB18030 or XLSX)."""

from __future__ import annotations

import argparse
import sys

from audit.impersonation.indexed import registry_matcher
from audit.registry import import_registry
from govwatch.commands import opened_store

SHOWN = 20  # names listed per change kind; the counts are always complete


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="registry_action", required=True, metavar="ACTION")
    imp = sub.add_parser("import", help="import a registry file; bad rows are reported, good rows kept",
                         description="Import a registry file. Re-importing the same file changes nothing; "
                                     "a new version reports what was added, changed and closed.")
    imp.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX with English or Chinese headers")
    imp.add_argument("--sheet", metavar="NAME",
                     help="XLSX: the sheet to read (default: the first sheet with a header row)")


def run(args: argparse.Namespace) -> int:
    """Exit 0 when rows were imported (rejected rows go to stderr), 2 when nothing was usable."""
    with opened_store(args) as (_, backend):
        report = import_registry(backend, args.file, args.sheet)
        if report.added or report.changed:  # a new registry version: its impersonation index is built now, once,
            registry_matcher(backend).close()  # beside the store's file (Elasticsearch keeps the keys itself)
    print(report.summary())
    for title, entries in (("added", report.added), ("closed", report.closed),
                           ("changed", [after for _, after in report.changed])):
        for entry in entries[:SHOWN]:
            print(f"  {title}: {entry.platform} {entry.name} ({entry.owner or '-'})")
        if len(entries) > SHOWN:
            print(f"  … and {len(entries) - SHOWN} more {title}")
    for error in report.errors:
        print(f"rejected: {error}", file=sys.stderr)
    return 0
