"""Job history: `jobs [--job J] [--limit N] [--json]` — start, end, outcome and counts of each run.

Runs whose process is gone (killed, a restart of the machine) are marked failed first (ops.liveness).
"""

from __future__ import annotations

import argparse
import json

from govwatch.commands import settings_from
from govwatch.jobs import state_paths
from ops.history import JobHistory
from ops.liveness import fail_dead
from ops.schedule import china_now


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--job", help="only this job (crawl, linkcheck, audit, report)")
    parser.add_argument("--limit", type=int, default=20, help="latest N runs (default 20)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")


def run(args: argparse.Namespace) -> int:
    history = JobHistory(state_paths(settings_from(args))[1])
    try:
        fail_dead(history, china_now())
        runs = history.runs(args.limit, args.job)
    finally:
        history.close()
    for r in runs:
        if args.json:
            print(json.dumps(r.as_dict(), ensure_ascii=False))
            continue
        end = f"{r.ended_at:%m-%d %H:%M:%S}" if r.ended_at else "…"
        counts = json.dumps(r.counts, ensure_ascii=False)
        print(f"{r.id:>5} {r.job:<10} {r.started_at:%Y-%m-%d %H:%M:%S} → {end}  {r.outcome:<11} "
              f"{counts[:120]}{'  ' + r.message if r.message else ''}")
    return 0
