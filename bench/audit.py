"""Full account audit over a large SQLite store: time and peak memory.

    .venv/bin/python bench/audit.py                       # 100,000 accounts, 5,000,000 posts
    .venv/bin/python bench/audit.py --accounts 2000 --posts 100000
    .venv/bin/python bench/audit.py --db /tmp/a.db --reuse  # audit an already generated store again
    .venv/bin/python bench/audit.py --db /tmp/a.db --reuse --cold  # … with its files out of the OS cache
    GOVWATCH_ES_URL=$url .venv/bin/python bench/audit.py --backend elasticsearch --db benchaudit
                                                            # --db is then the index prefix on that cluster

The store is generated first in a child process by sampleweb.bulk (the
sample web's label-driving roles at scale; posts go straight into the posts
table and the full-text index stays empty — the audit never reads it), so
neither its time nor its memory is in the figures; the audit itself runs in
a fresh child too. The timed part is `run_audit` exactly as `govwatch audit` runs it: every rule, the registry matching, the impersonation
matcher, and saving findings. Figures: wall time, CPU seconds of the audit
process and of its impersonation workers (audit.impersonation.worker: the
unmatched subjects' checks run there while the audit scans the posts), the
wall and CPU seconds of each phase, the load average before and after (the
machine is shared), peak RSS of this process (resource.getrusage, includes
the interpreter and imports), of the largest worker, and of all of them at
the same moment (sampled: the figure judged), and with --tracemalloc the
peak of Python allocations (slower: not for the timing). --cold first drops
the store's files from the OS cache (posix_fadvise), as after a reboot.
Targets: under 60 s and under 2 GiB.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.runner import run_audit  # noqa: E402
from bench import audit_es  # noqa: E402
from core.config import Settings  # noqa: E402
from index.sqlite import SqliteBackend  # noqa: E402

if TYPE_CHECKING:  # imported where used: a SQLite run never loads the Elasticsearch client
    from index.elastic import ElasticsearchBackend

NOW = datetime(2026, 11, 23, 10, 0)
TARGET_SECONDS, TARGET_BYTES = 60, 2 * 1024**3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=5_000_000, help="posts in total")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="store file (default: a temporary file, removed afterwards)")
    parser.add_argument("--reuse", action="store_true", help="audit the existing --db without generating")
    parser.add_argument("--cold", action="store_true",
                        help="sqlite: drop the store's files (and its key index) from the OS cache first")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure peak Python allocations")
    parser.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite",
                        help="elasticsearch: the cluster at GOVWATCH_ES_URL, --db is the index prefix")
    parser.add_argument("--load-workers", type=int, default=2,
                        help="elasticsearch: processes writing the posts in parallel (default 2)")
    parser.add_argument("--full-text", action="store_true",
                        help="elasticsearch: also index the posts' searched text (the audit never reads it)")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate-part", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def open_store(db: str, backend: str) -> SqliteBackend | ElasticsearchBackend:
    """The SQLite file `db`, or with --backend elasticsearch the store of index prefix `db` at GOVWATCH_ES_URL."""
    if backend == "sqlite":
        return SqliteBackend(db)

    from index.elastic import ElasticsearchBackend, EsConfig

    spool = Path(tempfile.gettempdir()) / f"{db}-spool.db"
    return ElasticsearchBackend(EsConfig(url=os.environ["GOVWATCH_ES_URL"], prefix=db, spool=str(spool), timeout=600))


def generate(args: argparse.Namespace, db: Path) -> None:
    """Fill `db` in a child process so generation stays out of the measured process."""
    cmd = [sys.executable, __file__, "--generate-only", "--db", str(db), "--accounts", str(args.accounts),
           "--posts", str(args.posts), "--seed", str(args.seed), "--backend", args.backend,
           "--load-workers", str(args.load_workers)] + (["--full-text"] if args.full_text else [])
    started, node_cpu = time.monotonic(), audit_es.node_cpu_seconds(args.backend)
    subprocess.run(cmd, check=True)
    node = audit_es.node_cpu_seconds(args.backend) - node_cpu
    print(f"generated {db} in {time.monotonic() - started:.1f} s (not timed); CPU {_children_cpu_seconds():.0f} s "
          f"in the generating processes" + (f", {node:.0f} s in the node" if node else "") + audit_es.load_note(args),
          flush=True)


def fill(args: argparse.Namespace) -> None:
    """The child: write the store with sampleweb.bulk (the sample web's generator at scale)."""
    store = open_store(args.db, args.backend)
    store.setup()
    from sampleweb.bulk import fill_store

    if args.backend == "elasticsearch":  # the audit takes impersonation candidates from the registry index
        audit_es.fill(store, args, NOW, [sys.executable, __file__])
        return
    fill_store(store, accounts=args.accounts, posts=args.posts, seed=args.seed, now=NOW)
    # The bulk writer stands in for `govwatch registry import`, which computes the registry's
    # impersonation index once per registry version (audit.impersonation.keycache); audits load it.
    from audit.impersonation.keycache import cache_dir_for, matcher_for

    matcher_for(list(store.iter_registry()), cache_dir_for(str(args.db))).close()
    store.close()


def measure(db: Path, use_tracemalloc: bool, backend: str = "sqlite") -> None:
    store = open_store(str(db), backend)
    counts = _file_counts(db) if backend == "sqlite" else store.counts()
    print(f"store: {counts['accounts']:,} accounts, {counts['posts']:,} posts, {counts['registry']:,} registry "
          f"entries, {counts['mentions']:,} mentions", flush=True)
    if use_tracemalloc:
        tracemalloc.start()
    load_before = os.getloadavg()
    sampler = RssSampler()
    started, cpu_before, node_before = time.monotonic(), _cpu_seconds(), audit_es.node_cpu_seconds(backend)
    settings = replace(Settings(), store=replace(Settings().store, sqlite_path=str(db)))  # name keys beside it
    summary = run_audit(store, settings, NOW)
    seconds, cpu = time.monotonic() - started, _cpu_seconds() - cpu_before
    node_cpu = audit_es.node_cpu_seconds(backend) - node_before
    peak_py = tracemalloc.get_traced_memory()[1] if use_tracemalloc else None
    store.close()
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)  # let any child exit so its peak is counted below
    sampled = sampler.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest child, not their sum
    print(f"audit: {summary.accounts:,} subjects, {sum(summary.by_kind.values()):,} findings "
          f"{dict(sorted(summary.by_kind.items()))}")
    child_cpu = _children_cpu_seconds()
    print(f"time: {seconds:.1f} s (target < {TARGET_SECONDS} s); CPU {cpu:.1f} s user+system in the audit "
          f"process, {child_cpu:.1f} s in the impersonation worker (on a shared machine the wall time also "
          f"holds the waits for a core)")
    if backend == "elasticsearch":
        print(f"node: {node_cpu:.1f} s CPU during the audit; {audit_es.node_heap()}")
    print("load average (1, 5, 15 min): before {:.1f} {:.1f} {:.1f}, after {:.1f} {:.1f} {:.1f}".format(
        *load_before, *os.getloadavg()))
    print("phases (audit process):")
    for line in summary.phases.lines():
        print("  " + line)
    total = max(rss + worker, sampled)
    print(f"peak RSS: {rss / 1024**2:.0f} MiB audit process, {worker / 1024**2:.0f} MiB the largest worker; "
          f"audit and workers at the same moment (sampled every {RssSampler.EVERY} s) {sampled / 1024**2:.0f} MiB; "
          f"counted {total / 1024**2:.0f} MiB (target < {TARGET_BYTES // 1024**2} MiB)")
    if peak_py is not None:
        print(f"peak Python allocations (tracemalloc): {peak_py / 1024**2:.0f} MiB (timing inflated by tracing)")
    if peak_py is not None:
        print("targets: not judged under --tracemalloc (tracing slows the audit and adds memory)")
        return
    ok = seconds < TARGET_SECONDS and total < TARGET_BYTES
    print("targets: " + ("met" if ok else "NOT met"))


class RssSampler:
    """Peak of this process's RSS plus its children's, sampled on a thread: getrusage gives the largest
    child's peak, not the sum, and the audit may run two impersonation workers at once."""

    EVERY = 0.2

    def __init__(self) -> None:
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak

    def _run(self) -> None:
        while not self._done.wait(self.EVERY):
            self.peak = max(self.peak, sum(_rss(pid) for pid in (os.getpid(), *_children(os.getpid()))))


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def evict(db: Path) -> str:
    """Drop the store's files and its saved key index from the OS page cache (posix_fadvise DONTNEED):
    a cold-cache run without root's drop_caches, and without emptying other people's caches."""
    files = [p for p in (*db.parent.glob(db.name + "*"), *db.parent.glob("impersonation-index/*")) if p.is_file()]
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return f"{sum(p.stat().st_size for p in files) / 1024**3:.1f} GiB in {len(files)} files"


def _file_counts(db: Path) -> dict[str, int]:
    """Row counts of the store's tables without the readers' memory map: counting 5M posts through
    it would put the scanned pages in this process's RSS before the audit starts."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("accounts", "posts", "registry", "mentions")}
    finally:
        conn.close()


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.generate_part is not None:
        audit_es.fill_part(open_store(args.db, args.backend), args, NOW)
        return
    if args.generate_only:
        fill(args)
        return
    if args.measure_only:
        measure(Path(args.db), args.tracemalloc, args.backend)
        return
    with tempfile.TemporaryDirectory(prefix="govwatch-bench-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        if args.backend == "elasticsearch" and not args.db:
            sys.exit("--backend elasticsearch needs --db INDEX_PREFIX")
        if not args.reuse:
            if args.backend == "sqlite" and db.exists():
                sys.exit(f"{db} exists; pass --reuse to audit it or remove it")
            generate(args, db)
        if args.cold and args.backend == "sqlite":
            print(f"cold: {evict(db)} of the store's files dropped from the OS cache", flush=True)
        # a fresh process, so the peaks below belong to the audit alone
        cmd = [sys.executable, __file__, "--measure-only", "--db", str(db), "--backend", args.backend]
        subprocess.run(cmd + (["--tracemalloc"] if args.tracemalloc else []), check=True)


if __name__ == "__main__":
    main()
