"""Match counts kept between searches (index/sqlite_counts.py): reused while the store is unchanged, renewed
by every kind of write — the store's own, another connection's or process's, a rolled-back one — and never
handed from a connection held on an older snapshot to another."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.models import Account
from index import sqlite_platforms
from index.base import FACETS, PostQuery
from index.sqlite import SqliteBackend
from index.sqlite_counts import MatchCounts
from tests.index.sqlite_caps import posts, small_caps

RANKED = PostQuery(q="医保 OR 防火", facets=FACETS)  # more matches than CANDIDATES: a counted total
NEWEST = PostQuery(q="医保", sort="newest", facets=FACETS)


@pytest.fixture(autouse=True)
def _small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few posts are enough to need counting (more matches than ranked)."""
    small_caps(monkeypatch, total_cap=50)


@pytest.fixture(autouse=True)
def _per_platform_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests count the per-platform count statements: no platform map (test_sqlite_platforms.py has its own)."""
    monkeypatch.setattr(sqlite_platforms.PlatformMap, "rows", lambda self, db, structure: None)


def counted(db: sqlite3.Connection) -> list[str]:
    """Count statements run on `db` from now on."""
    seen: list[str] = []
    db.set_trace_callback(lambda sql: seen.append(sql) if sql.startswith("SELECT count(*)") else None)
    return seen


def figures(store: SqliteBackend, query: PostQuery) -> tuple[int, bool, dict[str, int]]:
    found = store.search_posts(query)
    return found.total, found.total_exact, found.facets["platform"]


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[tuple[SqliteBackend, SqliteBackend]]:
    """A writing store and a read-only one on the same file, as a crawl and the API are."""
    writer = SqliteBackend(tmp_path / "store.db")
    writer.setup()
    writer.upsert_posts(posts(6, "weibo") + posts(4, "douyin"))
    api = SqliteBackend(tmp_path / "store.db", read_only=True)
    yield writer, api
    api.close()
    writer.close()


@pytest.mark.parametrize("query", [RANKED, NEWEST])
def test_a_repeated_search_counts_once(reader: tuple[SqliteBackend, SqliteBackend], query: PostQuery) -> None:
    _, api = reader
    seen = counted(api.reader())
    first = figures(api, query)
    assert first == (10, True, {"weibo": 6, "douyin": 4}) and len(seen) == 3  # the total, then per platform
    seen.clear()
    assert figures(api, query) == first and seen == []
    assert figures(api, PostQuery(q="防火", facets=FACETS)) == first and len(seen) == 3  # another query: counted


@pytest.mark.parametrize("query", [RANKED, NEWEST])
def test_another_process_writing_renews_the_counts(reader: tuple[SqliteBackend, SqliteBackend],
                                                    query: PostQuery) -> None:
    """The API never writes: only the file's data version tells it that a crawl has (SearchStats.changed
    is not called in the API's process)."""
    writer, api = reader
    assert figures(api, query) == (10, True, {"weibo": 6, "douyin": 4})
    writer.upsert_posts(posts(3, "douyin", start=10))
    assert figures(api, query) == (13, True, {"weibo": 6, "douyin": 7})


def test_a_connection_opened_after_a_write_does_not_read_older_counts(reader: tuple[SqliteBackend, SqliteBackend]
                                                                      ) -> None:
    """Counts made on one connection before a write are not handed to a connection opened after it."""
    writer, api = reader
    assert figures(api, RANKED)[0] == 10  # counted on this thread's connection
    writer.upsert_posts(posts(5, "wechat"))
    seen: list[tuple[int, bool, dict[str, int]]] = []
    thread = threading.Thread(target=lambda: seen.append(figures(api, RANKED)))
    thread.start()
    thread.join()
    assert seen == [(15, True, {"weibo": 6, "wechat": 5, "douyin": 4})]


def test_a_connection_held_on_an_older_snapshot_keeps_its_counts_to_itself(
        reader: tuple[SqliteBackend, SqliteBackend]) -> None:
    """A streamed export keeps a statement open on its thread's connection between chunks, so searches on
    that connection read the snapshot it began on; what they count must not reach other connections."""
    writer, api = reader
    writer.upsert_accounts([Account("weibo", str(n), f"账号{n}") for n in range(3)])
    with ThreadPoolExecutor(max_workers=1) as other:  # one thread: the same connection every time
        assert other.submit(figures, api, RANKED).result()[0] == 10
        stream = api.iter_accounts()
        try:
            next(stream)  # this thread's connection now holds the snapshot of before the write below
            writer.upsert_posts(posts(3, "douyin", start=10))
            assert other.submit(figures, api, RANKED).result() == (13, True, {"weibo": 6, "douyin": 7})
            assert figures(api, RANKED)[0] == 10  # the held snapshot (as its results are)
            assert other.submit(figures, api, RANKED).result() == (13, True, {"weibo": 6, "douyin": 7})
        finally:
            stream.close()
    assert figures(api, RANKED)[0] == 13  # the statement ended: this connection reads the store as it is


def test_the_stores_own_writes_renew_the_counts_of_an_in_memory_store() -> None:
    """In memory, searches read through the writing connection, whose own commits move no data version."""
    store = SqliteBackend(":memory:")
    store.setup()
    store.upsert_posts(posts(6, "weibo"))
    assert figures(store, RANKED) == (6, True, {"weibo": 6})
    store.upsert_posts(posts(2, "kuaishou"))
    assert figures(store, RANKED) == (8, True, {"weibo": 6, "kuaishou": 2})
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_posts(posts(4, "toutiao"))
        assert figures(store, RANKED) == (12, True, {"weibo": 6, "toutiao": 4, "kuaishou": 2})  # seen inside
        raise RuntimeError("abandoned")
    assert figures(store, RANKED) == (8, True, {"weibo": 6, "kuaishou": 2})  # rolled back: counted again
    store.close()


def test_the_memo_keeps_at_most_its_size_and_nothing_at_size_zero() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x)")
    runs: list[int] = []

    def compute(n: int) -> int:
        runs.append(n)
        return n

    memo = MatchCounts(size=2)
    for n in (1, 2, 1, 3, 1, 2):  # 2 is dropped when 3 comes (1 was used more recently)
        assert memo.value(db, (n,), lambda n=n: compute(n)) == n  # type: ignore[misc]
    assert runs == [1, 2, 3, 2]
    memo.changed()
    memo.value(db, (1,), lambda: compute(1))
    assert runs[-1] == 1
    off = MatchCounts(size=0)
    for _ in range(2):
        off.value(db, (5,), lambda: compute(5))
    assert runs[-2:] == [5, 5]
