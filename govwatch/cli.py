"""The `govwatch` command: one entry point, one module per subcommand in govwatch.commands.

Exit codes (DESIGN.md): 0 success, 1 findings-level failure where a command
says so, 2 bad input with a one-line message naming the file, row and field.
"""

from __future__ import annotations

import argparse
import logging
import sys

from core.errors import BadInputError, ConfigError, GovwatchError
from govwatch.commands import LOG_FORMAT, add_subcommands

# subcommand name -> module in govwatch.commands exposing add_arguments(parser) and run(args) -> int
COMMANDS = {
    "demo": "demo",
    "crawl": "crawl",
    "audit": "audit",
    "registry": "registry",
    "report": "report",
    "check": "check",
    "search": "search",
    "index": "index",
    "serve": "serve",
    "schedule": "schedule",
    "jobs": "jobs",
    "keys": "keys",
    "rules": "rules",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govwatch", description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="settings file (default: $GOVWATCH_CONFIG or ./govwatch.toml)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_subcommands(sub, COMMANDS, "run")
    return parser


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = build_parser().parse_args(argv)
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    logging.basicConfig(level=level, format=LOG_FORMAT)
    try:
        code = args.run(args)
    except (BadInputError, ConfigError) as exc:
        print(f"govwatch {args.command}: {exc}", file=sys.stderr)
        code = 2
    except GovwatchError as exc:
        print(f"govwatch {args.command}: {exc}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)
