"""Per-platform counts in one pass (index/sqlite_platforms.py): the same figures as one query per platform,
and never from a map of another state of the store; term statistics kept while the index is unchanged."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.models import Post
from index import sqlite_platforms, sqlite_request, sqlite_stats
from index.base import FACETS, PostQuery
from index.sqlite import SqliteBackend
from index.sqlite_platforms import PlatformMap
from tests.index.sqlite_caps import T0, posts, small_caps, without_map

QUERIES = [PostQuery(q="医保", facets=FACETS), PostQuery(q="医保 防火", facets=FACETS),
           PostQuery(q="医保 OR 招聘", facets=FACETS), PostQuery(q="防火", sort="newest", facets=FACETS),
           PostQuery(q="医保", platform="weibo", facets=FACETS),
           PostQuery(q="医保", since=T0 + timedelta(minutes=5), until=T0 + timedelta(days=3), facets=FACETS)]


@pytest.fixture(autouse=True)
def _small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few dozen posts are enough to pass every cap (more matches than ranked, than counted, than a facet shows)."""
    small_caps(monkeypatch, total_cap=20, facet_cap=4)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[SqliteBackend, SqliteBackend]]:
    """A writer, and a read-only store with its platform map built (as the API's first search starts it)."""
    writer = SqliteBackend(tmp_path / "store.db")
    writer.setup()
    writer.upsert_posts(posts(14, "weibo") + posts(3, "douyin") + posts(9, "wechat", text="医保 招聘")
                        + posts(2, "bilibili", text="防火"))
    api = SqliteBackend(tmp_path / "store.db", read_only=True)
    api.stats.platform_map.build(str(tmp_path / "store.db"))
    yield writer, api
    api.close()
    writer.close()


def figures(store: SqliteBackend, query: PostQuery) -> tuple[int, bool, dict[str, int]]:
    found = store.search_posts(query)
    return found.total, found.total_exact, found.facets["platform"]


def by_queries(store: SqliteBackend, query: PostQuery, monkeypatch: pytest.MonkeyPatch) -> tuple[int, bool, dict]:
    """The figures counted the old way: no map, a count statement per platform."""
    return without_map(store, monkeypatch, lambda: figures(store, query))


def one_pass_statements(db: sqlite3.Connection) -> list[str]:
    seen: list[str] = []
    db.set_trace_callback(lambda sql: seen.append(sql) if "group_concat(rowid)" in sql else None)
    return seen


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.q}-{q.sort}-{q.platform}-{bool(q.since)}")
def test_one_pass_gives_the_per_platform_queries_figures(stores: tuple[SqliteBackend, SqliteBackend],
                                                         query: PostQuery, monkeypatch: pytest.MonkeyPatch) -> None:
    _, api = stores
    seen = one_pass_statements(api.reader())
    mapped = figures(api, query)
    assert bool(seen) == (query.platform is None), "one pass unless a single platform is asked for"
    assert mapped == by_queries(api, query, monkeypatch)


def test_over_the_total_cap_a_short_platform_is_counted_by_its_own_query(
        stores: tuple[SqliteBackend, SqliteBackend], monkeypatch: pytest.MonkeyPatch) -> None:
    writer, api = stores
    monkeypatch.setattr(sqlite_request, "TOTAL_CAP", 12)  # the first 13 matches read: bilibili's are not among them
    query = PostQuery(q="防火", facets=FACETS)
    total, exact, facets = figures(api, query)
    assert (total, exact) == (12, False) and facets == {"weibo": 4, "douyin": 3, "bilibili": 2}
    assert (total, exact, facets) == by_queries(api, query, monkeypatch)


def test_a_map_of_another_state_is_not_used(stores: tuple[SqliteBackend, SqliteBackend]) -> None:
    """A write the map has not seen, even one that gives a deleted post's rowid to a post of another
    platform (the newest post changed and re-inserted), is counted right: the old way until a new map."""
    writer, api = stores
    newest = api.reader().execute("SELECT max(rowid) FROM posts").fetchone()[0]
    assert figures(api, PostQuery(q="防火", facets=FACETS))[2] == {"weibo": 4, "douyin": 3, "bilibili": 2}
    # the newest post (bilibili1) changes: deleted, then re-inserted after a new kuaishou post, which gets its
    # rowid; bilibili1 no longer matches, so every match's rowid is one the map knows
    writer.upsert_posts([*posts(1, "kuaishou", text="防火"),
                         Post("bilibili", "1", "bilibili1", text="招聘", published_at=T0)])
    reused = api.reader().execute("SELECT platform FROM posts WHERE rowid = ?", (newest,)).fetchone()[0]
    assert reused != "bilibili"  # the rowid the map calls bilibili is another platform's post now
    seen = one_pass_statements(api.reader())
    assert figures(api, PostQuery(q="防火", facets=FACETS))[2] == {
        "weibo": 4, "douyin": 3, "kuaishou": 1, "bilibili": 1}
    assert len(seen) == 1  # it asked, and the map's structure record did not match: counted the old way


def test_an_in_memory_store_counts_the_old_way() -> None:
    store = SqliteBackend(":memory:")
    store.setup()
    store.upsert_posts(posts(10, "weibo"))
    assert figures(store, PostQuery(q="医保", facets=FACETS)) == (10, True, {"weibo": 4})
    assert store.stats.platform_map.rows(store.db, b"") is None
    store.close()


class _InPlace:
    """A thread that runs its target when started, so the test sees the build without waiting."""

    def __init__(self, target, args, **_: object) -> None:  # noqa: ANN001
        self.target, self.args = target, args

    def start(self) -> None:
        self.target(*self.args)


def test_the_map_is_rebuilt_only_once_the_index_has_gone_quiet(
        stores: tuple[SqliteBackend, SqliteBackend], monkeypatch: pytest.MonkeyPatch) -> None:
    _, api = stores
    built: list[str] = []
    monkeypatch.setattr(sqlite_platforms, "REBUILD_SECONDS", 0.0)
    monkeypatch.setattr(PlatformMap, "_build_then_free", lambda self, path: built.append(path))
    monkeypatch.setattr(sqlite_platforms.threading, "Thread", _InPlace)
    platform_map = api.stats.platform_map
    for record in (b"one", b"two", b"three"):  # a crawl writing between searches: each miss sees a new record
        assert platform_map.rows(api.reader(), record) is None
    assert built == []
    assert platform_map.rows(api.reader(), b"three") is None  # the same record twice: the writes have stopped
    assert len(built) == 1


def test_a_search_misses_a_stale_map_once(stores: tuple[SqliteBackend, SqliteBackend],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A date-sorted search after a write reads its matches once (its first page's one pass missed the map,
    so the count in one pass is not tried on the same statement): a crawl writing between searches starts
    no rebuild, and the next search at the same state does."""
    writer, api = stores
    built: list[str] = []
    monkeypatch.setattr(sqlite_platforms, "REBUILD_SECONDS", 0.0)
    monkeypatch.setattr(PlatformMap, "_build_then_free", lambda self, path: built.append(path))
    monkeypatch.setattr(sqlite_platforms, "threading", SimpleNamespace(Thread=_InPlace))  # not the read-ahead's
    query = PostQuery(q="防火", sort="newest", facets=FACETS)
    expected = by_queries(api, query, monkeypatch)
    writer.upsert_posts(posts(1, "douyin", start=50))
    seen = one_pass_statements(api.reader())
    assert figures(api, query) == (expected[0] + 1, True, {**expected[2], "douyin": 4})
    assert len(seen) == 1 and built == [], "one miss: the index may still be being written"
    figures(api, query)
    assert len(built) == 1, "a second miss at the same record: the writes have stopped"


def test_term_statistics_outlive_their_ttl_only_while_the_index_is_unchanged(
        stores: tuple[SqliteBackend, SqliteBackend], monkeypatch: pytest.MonkeyPatch) -> None:
    writer, api = stores
    monkeypatch.setattr(sqlite_stats, "TTL", 0.0)  # every value is past its TTL at once
    api.stats.warm("posts").join()  # the API store reads common words ahead: let it finish, then forget it,
    api.stats.changed()  # or it races the first count below
    db = api.reader()
    asked: list[str] = []
    db.set_trace_callback(lambda sql: asked.append(sql) if "posts_fts_vocab" in sql else None)
    assert api.stats.token_freq(db, "posts", "防火") == 19
    assert api.stats.token_freq(db, "posts", "防火") == 19 and len(asked) == 1  # unchanged index: not recounted
    writer.upsert_posts(posts(3, "kuaishou", text="防火"))  # another connection: this store is not told
    assert api.stats.token_freq(db, "posts", "防火") == 22 and len(asked) == 2
