"""Inspect one page, one account name or the stored links: `check page|name|links`."""

from __future__ import annotations

import argparse

from govwatch.commands import add_subcommands

# kind -> module in govwatch.commands exposing add_arguments(parser) and run(args)
CHECKS = {"page": "check_page", "name": "check_name", "links": "check_links"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="check_kind", required=True, metavar="KIND")
    add_subcommands(sub, CHECKS, "check_run")


def run(args: argparse.Namespace) -> int:
    return int(args.check_run(args))
