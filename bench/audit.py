"""Full account audit over a large SQLite store: time and peak memory.

    .venv/bin/python bench/audit.py                       # 100,000 accounts, 5,000,000 posts
    .venv/bin/python bench/audit.py --accounts 2000 --posts 100000
    .venv/bin/python bench/audit.py --db /tmp/a.db --reuse  # audit an already generated store again

The store is generated first in a child process (sampleweb.bulk when it
exists, else the simple seeded generator below, which writes rows straight
into the store's tables and leaves the full-text index empty — the audit
never reads it), so neither its time nor its
memory is in the figures; the audit itself runs in a fresh child too. The timed part is `run_audit` exactly as
`govwatch audit` runs it: every rule, the registry matching, the impersonation
matcher, and saving findings. Figures: wall time, peak RSS of this process
(resource.getrusage, includes the interpreter and imports) and of the
impersonation worker the audit starts for a big registry, and with
--tracemalloc the peak of Python allocations (slower: not for the timing).
Targets: under 60 s and under 2 GiB.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.runner import run_audit  # noqa: E402
from govwatch.config import Settings  # noqa: E402
from govwatch.models import RegistryEntry  # noqa: E402
from index import sqlite_schema as S  # noqa: E402
from index.sqlite import SqliteBackend  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0)
TARGET_SECONDS, TARGET_BYTES = 60, 2 * 1024**3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=5_000_000, help="posts in total")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="store file (default: a temporary file, removed afterwards)")
    parser.add_argument("--reuse", action="store_true", help="audit the existing --db without generating")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure peak Python allocations")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def generate(args: argparse.Namespace, db: Path) -> None:
    """Fill `db` in a child process so generation stays out of the measured process."""
    cmd = [sys.executable, __file__, "--generate-only", "--db", str(db), "--accounts", str(args.accounts),
           "--posts", str(args.posts), "--seed", str(args.seed)]
    started = time.monotonic()
    subprocess.run(cmd, check=True)
    print(f"generated {db} in {time.monotonic() - started:.1f} s (not timed)", flush=True)


def fill(args: argparse.Namespace) -> None:
    """The child: write the store with sampleweb.bulk if present, else bench.audit_data."""
    store = SqliteBackend(args.db)
    store.setup()
    fill_store: Callable[..., None]
    try:
        from sampleweb.bulk import fill_store
    except ImportError:
        print("data: bench/audit.py's own generator (sampleweb.bulk not available)", flush=True)
        fill_store = simple_fill
    else:
        print("data: sampleweb.bulk", flush=True)
    fill_store(store, accounts=args.accounts, posts=args.posts, seed=args.seed, now=NOW)
    store.close()


PLATFORMS = ("wechat", "weibo", "douyin", "toutiao", "bilibili", "kuaishou")
PLACES = ("永州", "无锡", "零陵", "祁阳", "江阴", "宜兴", "滨湖", "梁溪", "道县", "宁远")
DEPTS = ("发布", "人社", "公安", "教育", "医保", "税务", "司法", "交通", "应急", "民政", "文旅", "水利")
# (upper bound of a uniform draw, schedule): first post offset in days and the step between posts
SCHEDULES = ((0.55, "daily", (0, 0), (1, 1)), (0.75, "healthy", (0, 2), (1, 3)), (0.78, "weekly_gap", (8, 12), (1, 3)),
             (0.80, "no_original", (0, 2), (1, 3)), (0.88, "dormant", (20, 80), (2, 6)),
             (0.93, "zombie", (100, 300), (3, 10)), (0.96, "severe", (400, 800), (5, 20)),
             (0.98, "empty", (0, 0), (1, 1)), (1.01, "healthy", (0, 2), (1, 3)))


def simple_fill(store: SqliteBackend, *, accounts: int, posts: int, seed: int, now: datetime) -> None:
    """A seeded store of `accounts` accounts and about `posts` posts: registered, unregistered,
    impersonating and benign accounts; daily, healthy, dormant, zombie and empty schedules."""
    rng = random.Random(seed)
    per_account = posts / max(accounts, 1)
    account_rows: list[tuple] = []
    registry: list[RegistryEntry] = []
    mentions: list[tuple] = []
    post_rows: list[tuple] = []
    written = 0
    for i in range(accounts):
        acc, entry, mention = _account(rng, i, registry)
        account_rows.append(acc)
        if entry is not None:
            registry.append(entry)
        if mention is not None:
            mentions.append(mention)
        post_rows += _posts(rng, acc[0], acc[1], per_account, now)
        if len(post_rows) >= 100_000:
            written += _insert(store, "posts", S.POST_COLUMNS, post_rows)
            post_rows = []
    written += _insert(store, "posts", S.POST_COLUMNS, post_rows)
    _insert(store, "accounts", S.ACCOUNT_COLUMNS, account_rows)
    store.upsert_registry(registry)
    _insert(store, "mentions", ("platform", "name", "page_url", "context"), mentions)
    print(f"wrote {accounts:,} accounts, {written:,} posts, {len(registry):,} registry entries", flush=True)


def _account(rng: random.Random, i: int, registry: list[RegistryEntry]) -> tuple[tuple, RegistryEntry | None, tuple | None]:
    platform = PLATFORMS[i % len(PLATFORMS)]
    account_id = f"{platform[:2]}{i:08d}"
    place, dept = PLACES[i % len(PLACES)], DEPTS[(i // len(PLACES)) % len(DEPTS)]
    name, owner = f"{place}{dept}{i}", f"{place}市{dept}局{i}"
    roll = rng.random()
    entry = mention = None
    verified_type = "government"
    if roll < 0.91:  # registered: mostly by id, some by name only, some closed, a few owners with two accounts
        same_platform = registry[-len(PLATFORMS)] if len(registry) >= len(PLATFORMS) else None
        if i % 100 == 1 and same_platform is not None and same_platform.platform == platform:
            owner = same_platform.owner  # a second account of one owner on one platform
        entry = RegistryEntry(name=name, platform=platform, account_id="" if roll > 0.80 else account_id, owner=owner,
                              registry_no=f"R{i:08d}", is_primary=dept == "发布", status="closed" if roll > 0.88 else "active")
    elif roll < 0.95:  # official-looking, unregistered, often on a matrix page
        mention = (platform, name, f"http://gov.test/{place}/matrix.html", "matrix") if roll < 0.93 else None
    elif roll < 0.97 and registry:  # imitates a registered name
        name, verified_type = registry[rng.randrange(len(registry))].name + "官方", "personal"
    else:
        name, verified_type = f"{place}美食地图{i}", "personal"
    interaction = 0 if rng.random() < 0.01 else 1
    state = "missing" if rng.random() < 0.005 else "ok"
    when = S.dt_out(NOW)
    row = (platform, account_id, name, f"https://{platform}.test/{account_id}", 1, f"{owner}官方账号",
           verified_type, rng.randint(0, 500_000), None, "platform_search", "", state, interaction, None, when, when)
    return row, entry, mention


def _posts(rng: random.Random, platform: str, account_id: str, per_account: float, now: datetime) -> list[tuple]:
    draw = rng.random()
    _, schedule, first, step = next(s for s in SCHEDULES if draw < s[0])
    if schedule == "empty":
        return []
    n = max(1, round(per_account / 0.98 * (0.5 + rng.random())))  # 2% of accounts are empty
    offset = rng.randint(*first)
    rows = []
    fetched = S.dt_out(now)
    for k in range(n):
        at = now - timedelta(days=offset, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        pinned = k == 0 and rng.random() < 0.05
        original = rng.random() < 0.8 and (schedule != "no_original" or offset > 20)
        rows.append((platform, f"{account_id}-{k}", account_id, "", f"标题{k}", "正文", S.dt_out(at), int(original),
                     int(pinned), int(not original), 0, 0, fetched, ""))
        offset += rng.randint(*step)
    return rows


def _insert(store: SqliteBackend, table: str, columns: tuple[str, ...], rows: list[tuple]) -> int:
    sql = f"INSERT OR IGNORE INTO {table} ({','.join(columns)}) VALUES ({','.join('?' * len(columns))})"
    with store.db:
        store.db.executemany(sql, rows)
    return len(rows)


def measure(db: Path, use_tracemalloc: bool) -> None:
    store = SqliteBackend(db)
    counts = store.counts()
    print(f"store: {counts['accounts']:,} accounts, {counts['posts']:,} posts, {counts['registry']:,} registry "
          f"entries, {counts['mentions']:,} mentions", flush=True)
    if use_tracemalloc:
        tracemalloc.start()
    started = time.monotonic()
    summary = run_audit(store, Settings(), NOW)
    seconds = time.monotonic() - started
    peak_py = tracemalloc.get_traced_memory()[1] if use_tracemalloc else None
    store.close()
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)  # let the impersonation worker exit so its peak is counted below
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"audit: {summary.accounts:,} subjects, {sum(summary.by_kind.values()):,} findings "
          f"{dict(sorted(summary.by_kind.items()))}")
    print(f"time: {seconds:.1f} s (target < {TARGET_SECONDS} s)")
    print(f"peak RSS: {rss / 1024**2:.0f} MiB audit process, {worker / 1024**2:.0f} MiB impersonation worker, "
          f"{(rss + worker) / 1024**2:.0f} MiB together (target < {TARGET_BYTES // 1024**2} MiB)")
    if peak_py is not None:
        print(f"peak Python allocations (tracemalloc): {peak_py / 1024**2:.0f} MiB (timing inflated by tracing)")
    ok = seconds < TARGET_SECONDS and rss + worker < TARGET_BYTES
    print("targets: " + ("met" if ok else "NOT met"))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.generate_only:
        fill(args)
        return
    if args.measure_only:
        measure(Path(args.db), args.tracemalloc)
        return
    with tempfile.TemporaryDirectory(prefix="govwatch-bench-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        if not args.reuse:
            if db.exists():
                sys.exit(f"{db} exists; pass --reuse to audit it or remove it")
            generate(args, db)
        # a fresh process, so the peaks below belong to the audit alone
        cmd = [sys.executable, __file__, "--measure-only", "--db", str(db)]
        subprocess.run(cmd + (["--tracemalloc"] if args.tracemalloc else []), check=True)


if __name__ == "__main__":
    main()
