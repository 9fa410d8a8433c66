"""One module per `govwatch` subcommand: add_arguments(parser) and run(args) -> exit code."""

from __future__ import annotations

import argparse

from govwatch.config import Settings, load_settings
from index import open_backend
from index.base import Backend


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings for a command, honouring the global --config option."""
    return load_settings(getattr(args, "config", None))


def backend_from(args: argparse.Namespace) -> Backend:
    """The configured store, set up."""
    return open_backend(settings_from(args))
