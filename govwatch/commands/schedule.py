"""Run crawl → link check → audit → nightly report on a schedule (or once with --once), for cron-less servers."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import datetime, timedelta


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", default="02:00", help="daily start time HH:MM, China time (default 02:00)")
    parser.add_argument("--once", action="store_true", help="run one cycle now and exit")
    parser.add_argument("--spiders", nargs="*", default=[], help="spiders to run (default: crawl's default)")


def next_run(now: datetime, at: str) -> datetime:
    """The next time of day `at` strictly after `now`."""
    hour, minute = (int(x) for x in at.split(":"))
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + timedelta(days=1)


def cycle(args: argparse.Namespace) -> int:
    """One night's work; each step is its own process so a crash in one cannot wedge the scheduler."""
    base = [sys.executable, "-m", "govwatch"] + (["--config", args.config] if args.config else [])
    steps = [["crawl", *args.spiders], ["check", "links"], ["audit"],
             ["report", "nightly-unregistered", "--format", "csv"]]
    worst = 0
    for step in steps:
        code = subprocess.call(base + step)
        print(f"{datetime.now():%Y-%m-%d %H:%M:%S} govwatch {' '.join(step)} → exit {code}", flush=True)
        worst = max(worst, code)
    return worst


def run(args: argparse.Namespace) -> int:
    if args.once:
        return cycle(args)
    while True:
        start = next_run(datetime.now(), args.at)
        print(f"next run at {start:%Y-%m-%d %H:%M}", flush=True)
        time.sleep(max(0.0, (start - datetime.now()).total_seconds()))
        cycle(args)
