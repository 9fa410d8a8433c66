"""The large store bench/search.py measures: built once from sampleweb.bulk, reused while it fits."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from core.models import content_hash
from index.sqlite import SqliteBackend
from index.sqlite_fts import fts_values, post_tags
from index.sqlite_rows import post_row
from index.sqlite_schema import POST_COLUMNS, SCHEMA_VERSION, dt_out
from sampleweb import vocab
from sampleweb.bulk import BulkWorld

NOW = datetime(2026, 11, 23, 10, 0)
CHUNK = 20_000


def _fits(db: Path, posts: int) -> bool:
    if not db.exists():
        return False
    store = SqliteBackend(db)
    try:
        version = store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return bool(version) and version[0] == str(SCHEMA_VERSION) and store.counts()["posts"] >= posts
    finally:
        store.close()


def build_store(db: Path, posts: int, accounts: int, seed: int) -> None:
    """Fill `db` with a BulkWorld of `posts` posts (full text indexed), unless it already holds them."""
    if _fits(db, posts):
        print(f"reusing {db}")
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    store = SqliteBackend(db)
    store.setup()
    world = BulkWorld(seed, accounts, posts, NOW)
    store.upsert_registry(world.registry())
    store.upsert_accounts(world.accounts())
    _fts_config(store, automerge=0, crisismerge=64)  # no merging during the load; optimize() merges once
    _write_posts(store, world)
    _fts_config(store, automerge=4, crisismerge=16)  # FTS5's defaults
    store.optimize()
    store.close()
    print(f"built {db}: {posts:,} posts in {time.perf_counter() - started:.0f} s")


def _fts_config(store: SqliteBackend, **values: int) -> None:
    for name, value in values.items():
        store.db.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES (?, ?)", (name, value))


def _write_posts(store: SqliteBackend, world: BulkWorld) -> None:
    """The rows upsert_posts would write, written with executemany (a bulk load need not dedupe)."""
    insert = f"INSERT INTO posts (rowid, {','.join(POST_COLUMNS)}) VALUES ({','.join('?' * (len(POST_COLUMNS) + 1))})"
    now = dt_out(NOW) or ""
    rows, fts_rows = [], []
    for rowid, p in enumerate(world.posts(), 1):
        p.content_hash = content_hash(p.title, p.text)
        title, body, uni, tags, norm = fts_values(p.title, p.text, post_tags(p.platform, p.account_id, p.published_at))
        rows.append(post_row(rowid, p, norm, now))
        fts_rows.append((rowid, title, body, uni, tags))
        if len(rows) >= CHUNK:
            _commit(store, insert, rows, fts_rows)
            rows, fts_rows = [], []
            if rowid % 100_000 < CHUNK:
                print(f"  {rowid:,} posts", flush=True)
    _commit(store, insert, rows, fts_rows)


def _commit(store: SqliteBackend, insert: str, rows: list[tuple], fts_rows: list[tuple]) -> None:
    with store.transaction():
        store.db.executemany(insert, rows)
        store.db.executemany("INSERT INTO posts_fts(rowid, title, body, uni, tags) VALUES (?, ?, ?, ?, ?)", fts_rows)


def rare_words(db: Path, n: int) -> list[str]:
    """`n` two-character words of the vocabulary's tail that are in 3 to 300 posts of the store."""
    store = SqliteBackend(db)
    found = []
    try:
        for word in vocab.words()[15_000:]:
            if len(word) != 2:
                continue
            row = store.db.execute("SELECT doc FROM posts_fts_vocab WHERE term = ?", (word,)).fetchone()
            if row and 3 <= row[0] <= 300:
                found.append(word)
                if len(found) == n:
                    break
    finally:
        store.close()
    return found
