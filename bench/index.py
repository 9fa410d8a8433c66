"""Index writes: a backend's upsert_posts against the raw write of the same rows, in the same run.

    .venv/bin/python bench/index.py                          # SQLite, 100,000 posts
    .venv/bin/python bench/index.py --posts 200000 --repeat 3
    GOVWATCH_ES_URL=$(scripts/es-node.sh start | tail -1) .venv/bin/python bench/index.py --backend elasticsearch
                                                              # (bench/index_es.py: raw _bulk vs the backend)

SQLite: `SqliteBackend.upsert_posts` (dedupe lookup, normalisation, bigram
analysis, rows and full-text rows) versus `executemany` of the very same
rows — computed beforehand, outside the clock — into the same tables of a
fresh store, in transactions of the same size. Posts come from
sampleweb.bulk (realistic vocabulary). Each side runs `--repeat` times on a
fresh store and the best run counts (the machine is shared). Target: ratio
≥ 0.5.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ratio import print_ratio  # noqa: E402
from core.models import Post, content_hash  # noqa: E402
from index.sqlite import BATCH, SqliteBackend  # noqa: E402
from index.sqlite_fts import fts_values, post_tags  # noqa: E402
from index.sqlite_rows import post_row  # noqa: E402
from index.sqlite_schema import POST_COLUMNS, dt_out  # noqa: E402
from sampleweb.bulk import BulkWorld  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0)
TARGET = 0.5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite")
    return parser.parse_args(argv)


def bulk_posts(n: int, seed: int) -> list[Post]:
    return list(islice(BulkWorld(seed, max(1, n // 50), n, NOW).posts(), n))


def sqlite_backend_run(posts: list[Post], folder: Path) -> float:
    """Seconds for SqliteBackend.upsert_posts of `posts` into a fresh store."""
    store = SqliteBackend(folder / "backend.db")
    store.setup()
    started = time.perf_counter()
    result = store.upsert_posts(posts)
    seconds = time.perf_counter() - started
    store.close()
    assert result.inserted == len({(p.platform, p.post_id) for p in posts}), result
    return seconds


def sqlite_raw_run(posts: list[Post], folder: Path) -> float:
    """Seconds for executemany of the same post and full-text rows, made beforehand, into a fresh store."""
    store = SqliteBackend(folder / "raw.db")
    store.setup()
    now = dt_out(NOW) or ""
    rows, fts_rows = [], []
    for rowid, p in enumerate(posts, 1):
        p.content_hash = p.content_hash or content_hash(p.title, p.text)
        title, body, uni, tags, norm = fts_values(p.title, p.text, post_tags(p.platform, p.account_id, p.published_at))
        rows.append(post_row(rowid, p, norm, now))
        fts_rows.append((rowid, title, body, uni, tags))
    insert = f"INSERT INTO posts (rowid, {','.join(POST_COLUMNS)}) VALUES ({','.join('?' * (len(POST_COLUMNS) + 1))})"
    db = store.db
    started = time.perf_counter()
    for at in range(0, len(rows), BATCH):
        db.execute("BEGIN")
        db.executemany(insert, rows[at:at + BATCH])
        db.executemany("INSERT INTO posts_fts(rowid, title, body, uni, tags) VALUES (?, ?, ?, ?, ?)",
                       fts_rows[at:at + BATCH])
        db.execute("COMMIT")
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def best(run: Callable[[list[Post], Path], float], n: int, seed: int, repeat: int) -> float:
    """The fastest of `repeat` runs, each on freshly generated posts and a fresh store."""
    times = []
    for _ in range(repeat):
        posts = bulk_posts(n, seed)
        with tempfile.TemporaryDirectory() as folder:
            times.append(run(posts, Path(folder)))
    return min(times)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.backend == "elasticsearch":
        import os

        from bench.index_es import main as es_main

        url = os.environ.get("GOVWATCH_ES_URL", "")
        if not url:
            print("bench/index.py: --backend elasticsearch needs GOVWATCH_ES_URL", file=sys.stderr)
            return 2
        return es_main(["--url", url, "--posts", str(args.posts), "--seed", str(args.seed),
                        "--repeat", str(args.repeat)])
    raw = best(sqlite_raw_run, args.posts, args.seed, args.repeat)
    ours = best(sqlite_backend_run, args.posts, args.seed, args.repeat)
    print_ratio("sqlite", args.posts, args.repeat, ("raw executemany", raw), ("SqliteBackend", ours), TARGET)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
