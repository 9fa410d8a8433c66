"""Serve the search API and web page (uvicorn), by default with one worker process per core."""

from __future__ import annotations

import argparse
import copy
import logging
import os
from typing import Any

from core.errors import BadInputError
from govwatch.commands import LOG_FORMAT


def default_workers() -> int:
    """The cores this process may run on: one worker each (a request's search is CPU-bound)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def log_config(level: int) -> dict[str, Any]:
    """uvicorn's logging, plus govwatch's own lines at `level` (-v: INFO) in the command's format. uvicorn's
    workers are spawned processes that never see the command's logging.basicConfig: without this their
    INFO lines (search_api.node_restarts' warm-ups) were dropped, and warnings printed bare."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["govwatch"] = {"format": LOG_FORMAT}
    config["handlers"]["govwatch"] = {"formatter": "govwatch", "class": "logging.StreamHandler",
                                      "stream": "ext://sys.stderr"}
    config["root"] = {"handlers": ["govwatch"], "level": logging.getLevelName(level)}
    # the client's line per round trip (several a search) only with -vv: -v is for govwatch's own
    config["loggers"]["elasticsearch"] = {"level": "DEBUG" if level <= logging.DEBUG else "WARNING"}
    return config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes, each with its own store connections (default: one per core)")
    parser.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
                        help="uvicorn's log level (default info; warning leaves out a line per request)")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    if args.config:  # the API reads settings through its own cached dependency
        os.environ["GOVWATCH_CONFIG"] = args.config
    workers = default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise BadInputError(f"--workers must be 1 or more, not {workers}", field="workers")
    # several workers: uvicorn's supervisor starts them and restarts one that dies; each opens the store
    # itself, and rate limits stay per key across them (they live in the keys file)
    uvicorn.run("search_api.app:app", host=args.host, port=args.port, log_level=args.log_level, workers=workers,
                log_config=log_config(logging.getLogger().getEffectiveLevel()))
    return 0
