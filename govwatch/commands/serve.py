"""Serve the search API and web page (uvicorn), by default with one worker process per core."""

from __future__ import annotations

import argparse
import os

from core.errors import BadInputError


def default_workers() -> int:
    """The cores this process may run on: one worker each (a request's search is CPU-bound)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


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
    uvicorn.run("search_api.app:app", host=args.host, port=args.port, log_level=args.log_level, workers=workers)
    return 0
