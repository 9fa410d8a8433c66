"""Inspect one page or one account name: `check page PATH_OR_URL`, `check name NAME`."""

from __future__ import annotations

import argparse
import importlib

# kind -> module in govwatch.commands exposing add_arguments(parser) and run(args)
CHECKS = {"page": "check_page", "name": "check_name", "links": "check_links"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="check_kind", required=True, metavar="KIND")
    for kind, module_name in CHECKS.items():
        try:
            module = importlib.import_module(f"govwatch.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"govwatch.commands.{module_name}":
                raise
            continue
        doc = (module.__doc__ or "").strip().splitlines()
        check = sub.add_parser(kind, help=doc[0] if doc else "", description=module.__doc__)
        module.add_arguments(check)
        check.set_defaults(check_run=module.run)


def run(args: argparse.Namespace) -> int:
    return int(args.check_run(args))
