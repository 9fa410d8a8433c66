"""Several writers on one SQLite store: a writer waits for another's lock and retries, and loses nothing.

Another process holds the store's write lock for a second at a time (as a long
transaction of the scheduler or the API would) while a crawl, a registry
import and an audit run at once against the same file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.models import Post
from govwatch.demo import fetch
from index import sqlite_tx
from index.sqlite import SqliteBackend
from index.sqlite_tx import run_write
from sampleweb.server import SampleWeb
from sampleweb.world import generate
from tests.crawler.sampleweb_env import NOW, CrawlEnv, expected_posts, stored_posts
from tests.paths import ROOT

HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
    end = time.monotonic() + float(sys.argv[2])
    first = True
    while first or time.monotonic() < end:  # once at least, however late this process runs
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('lock_holder', ?)", (str(time.time()),))
        if first:  # the caller goes on once the lock is really held
            print("holding", flush=True)
            first = False
        if sys.argv[3] == "until-told":  # held until the caller closes our stdin
            sys.stdin.read()
        else:
            time.sleep(float(sys.argv[3]))
        db.execute("COMMIT")
        time.sleep(0.02)
""")


def hold_lock(db: Path, seconds: float, each: float | str = 1.0) -> subprocess.Popen[str]:
    """Another process that takes the write lock for `each` s at a time (or, with "until-told", once, until
    its stdin is closed: communicate()), for `seconds`; returns once it holds it."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(seconds), str(each)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def ended(holder: subprocess.Popen[str]) -> None:
    """The holder told to end (stdin closed) and gone: it must still COMMIT and exit, so the bound is long;
    a holder that hangs is killed, not left running."""
    try:
        holder.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        holder.kill()
        holder.communicate()
        raise


def govwatch(config: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "govwatch", "--config", str(config), *args], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip


def test_crawl_import_and_audit_all_finish_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    world = generate(seed=11, accounts=12, posts=10, now=NOW)
    world.rate_limit = False
    with SampleWeb(world) as web:
        env = CrawlEnv(web, tmp_path)
        env.write_config()
        SqliteBackend(env.db).setup()
        registry = tmp_path / "registry.csv"
        registry.write_bytes(fetch(f"{web.base_url}/registry.csv"))
        holder = hold_lock(env.db, seconds=4)
        started = time.monotonic()
        crawl = subprocess.Popen(env.command(["gov_site", "weibo"]), cwd=ROOT, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        imported = govwatch(env.config, "registry", "import", str(registry))
        audit = govwatch(env.config, "audit", "--as-of", NOW.isoformat(sep=" "))
        results = {name: (p.wait(timeout=300), *p.communicate()) for name, p in
                   (("crawl", crawl), ("import", imported), ("audit", audit))}  # fmt: skip
        ended(holder)
        assert time.monotonic() - started > 1  # the writers really met the lock
    for name, (code, out, err) in results.items():
        assert code == 0, f"{name}: {out}\n{err[-3000:]}"
        assert "database is locked" not in err, name
    stored = stored_posts(env.db)
    assert len(stored) == len(set(stored)) and set(stored) == expected_posts(world, ("weibo",))
    store = SqliteBackend(env.db)
    rows = registry.read_text(encoding="utf-8-sig").strip().splitlines()
    assert store.counts()["registry"] == len(rows) - 1
    assert store.counts()["pages"] > 0


def test_a_busy_transaction_is_run_again_from_the_start(store: SqliteBackend, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole transaction is retried when the lock stays busy past the busy timeout. The lock comes free
    during the pause before the retry (the holder is told to end and has ended), not after a time that a
    slow machine could outlast."""
    impatient = SqliteBackend(tmp_path / "store.db", busy_timeout=0.05)
    holder = hold_lock(tmp_path / "store.db", seconds=0, each="until-told")
    pauses: list[float] = []

    def pause(seconds: float) -> None:  # run_write's pause before a retry
        pauses.append(seconds)
        ended(holder)

    monkeypatch.setattr(sqlite_tx, "time", SimpleNamespace(sleep=pause))
    calls = []

    def work() -> int:
        calls.append(1)
        impatient.db.execute("INSERT INTO meta VALUES ('x', '1')")
        return len(calls)

    try:
        assert run_write(impatient.db, work, "store.db", attempts=2) == 1
    finally:
        ended(holder)
    assert len(pauses) == 1  # busy once, then run again from the start
    assert store.db.execute("SELECT value FROM meta WHERE key='x'").fetchone()[0] == "1"


def test_a_lock_that_never_comes_free_is_a_store_error_naming_the_file(store: SqliteBackend, tmp_path: Path) -> None:
    from core.errors import StoreError

    impatient = SqliteBackend(tmp_path / "store.db", busy_timeout=0.05)
    holder = hold_lock(tmp_path / "store.db", seconds=0, each="until-told")  # never lets go while we try
    try:
        with pytest.raises(StoreError, match=r"store\.db: cannot write to the store: database is locked"):
            run_write(impatient.db, lambda: impatient.upsert_posts([Post("weibo", "1", "p", text="x")]),
                      impatient.path, attempts=2)  # fmt: skip
    finally:
        ended(holder)
    assert store.counts()["posts"] == 0


def test_a_read_only_store_is_a_store_error_naming_the_file(tmp_path: Path) -> None:
    from core.errors import StoreError

    store = SqliteBackend(tmp_path / "store.db")
    store.setup()
    store.close()
    readonly = SqliteBackend(tmp_path / "store.db")
    readonly.db.close()  # the tests run as root: a read-only open stands in for a read-only file
    readonly.db = sqlite3.connect(f"file:{tmp_path / 'store.db'}?mode=ro", uri=True, isolation_level=None)
    with pytest.raises(StoreError, match=r"store\.db.*cannot write to the store: attempt to write a readonly"):
        readonly.upsert_posts([Post("weibo", "1", "p", text="x")])


def test_a_full_disk_is_a_store_error_and_the_transaction_leaves_nothing_half_written(tmp_path: Path) -> None:
    """SQLITE_FULL (here: a page-count cap standing in for a full disk) is a StoreError naming the file."""
    from core.errors import StoreError

    store = SqliteBackend(tmp_path / "store.db")
    store.setup()
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    posts = [Post("weibo", "1", f"p{i}", text="长文本" * 2000) for i in range(50)]
    with pytest.raises(StoreError, match=r"store\.db: cannot write to the store: database or disk is full"):
        store.upsert_posts(posts)
    assert store.counts()["posts"] == 0  # the batch was rolled back whole
