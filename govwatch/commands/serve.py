"""Serve the search API and web page (uvicorn)."""

from __future__ import annotations

import argparse
import os


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    if args.config:  # the API reads settings through its own cached dependency
        os.environ["GOVWATCH_CONFIG"] = args.config
    uvicorn.run("search_api.app:app", host=args.host, port=args.port, log_level="info")
    return 0
