"""Quarterly inspection report over a large store: time to build the model and to render each format.

    .venv/bin/python bench/report.py                          # 100,000 accounts, 5,000,000 posts, 2026-Q4
    .venv/bin/python bench/report.py --accounts 2000 --posts 100000
    .venv/bin/python bench/report.py --db /tmp/r.db --reuse   # report on an already generated and audited store

Not timed: generating the store with sampleweb.bulk and the two audits that
give it findings (one as of the previous quarter, so the comparison and the
复查 have work, and one as of the check time). Timed: `build_inspection` for
the quarter exactly as `govwatch report inspection` runs it, then each
renderer. Figures: seconds per step, file sizes, peak RSS of the process.
"""

from __future__ import annotations

import argparse
import logging
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.reports.inspection import FORMATS, build_inspection, parse_period, render  # noqa: E402
from audit.runner import run_audit  # noqa: E402
from core.config import Settings  # noqa: E402
from index.sqlite import SqliteBackend  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=5_000_000, help="posts in total")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--period", default="2026-Q4")
    parser.add_argument("--db", help="store file (default: a temporary file, removed afterwards)")
    parser.add_argument("--reuse", action="store_true", help="report on the existing --db without generating")
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def prepare(args: argparse.Namespace) -> None:
    """The child: fill the store, then audit it as of last quarter and as of now (not timed)."""
    from sampleweb.bulk import fill_store

    store = SqliteBackend(args.db)
    store.setup()
    started = time.monotonic()
    fill_store(store, accounts=args.accounts, posts=args.posts, seed=args.seed, now=NOW)
    # keep the audit independent of calendar data
    calendar: dict[str, dict[str, list[str]]] = {"2026": {"holidays": [], "workdays": []}}
    run_audit(store, Settings(calendar=calendar), NOW - timedelta(days=92))
    run_audit(store, Settings(calendar=calendar), NOW)
    print(f"prepared {args.db}: {store.counts()} in {time.monotonic() - started:.0f} s (not timed)", flush=True)
    store.close()


def measure(args: argparse.Namespace, db: Path, out: Path) -> None:
    store = SqliteBackend(db)
    started = time.monotonic()
    report = build_inspection(store, Settings(), parse_period(args.period), NOW)
    built = time.monotonic() - started
    store.close()
    problems = sum(len(v) for v in report.problems.values())
    print(f"report {args.period}: {report.total.registered:,} registered, {report.total.checked:,} checked, "
          f"{report.total.failed:,} failed, {problems:,} problems, {len(report.comparison.recheck_failing):,} "
          f"still failing on 复查")
    print(f"build (store → model): {built:.1f} s")
    total = built
    for fmt in FORMATS:
        started = time.monotonic()
        data = render(report, fmt)
        seconds = time.monotonic() - started
        total += seconds
        (out / f"report.{fmt}").write_bytes(data)
        print(f"render {fmt}: {seconds:.1f} s, {len(data) / 1024**2:.1f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"quarterly report, all four formats: {total:.1f} s; peak RSS {rss / 1024**2:.0f} MiB")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.prepare_only:
        prepare(args)
        return
    with tempfile.TemporaryDirectory(prefix="govwatch-bench-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        if not args.reuse:
            if db.exists():
                sys.exit(f"{db} exists; pass --reuse to report on it or remove it")
            subprocess.run([sys.executable, __file__, "--prepare-only", "--db", str(db), "--accounts",
                            str(args.accounts), "--posts", str(args.posts), "--seed", str(args.seed)], check=True)
        measure(args, db, Path(tmp))


if __name__ == "__main__":
    main()
