"""One module per `govwatch` subcommand: add_arguments(parser) and run(args) -> exit code."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from core.config import Settings, load_settings
from index import open_backend
from index.base import Backend

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # every command's log lines (cli.main, serve)


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings for a command, honouring the global --config option."""
    return load_settings(getattr(args, "config", None))


@contextmanager
def opened_store(args: argparse.Namespace) -> Iterator[tuple[Settings, Backend]]:
    """The command's settings and its configured store, closed when the block ends, however it ends."""
    settings = settings_from(args)
    backend = open_backend(settings)
    try:
        yield settings, backend
    finally:
        backend.close()


def add_subcommands(sub: argparse._SubParsersAction, modules: dict[str, str], run_attr: str) -> None:
    """One sub-parser per module of govwatch.commands; its docstring is the help text."""
    for name, module_name in modules.items():
        module = importlib.import_module(f"govwatch.commands.{module_name}")
        doc = (module.__doc__ or "").strip().splitlines()
        command = sub.add_parser(name, help=doc[0] if doc else "", description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(**{run_attr: module.run})
