"""SQLite-specific search behaviour: capped totals, bounded candidates, the plan, readers, migration."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.errors import StoreError
from core.models import Post
from index import sqlite_listing, sqlite_query, sqlite_request
from index.base import PostQuery
from index.query import parse
from index.sqlite import SqliteBackend
from index.sqlite_fts import match_text, tag, window_tags

T0 = datetime(2026, 11, 1, 9, 0)


def posts(n: int, text: str = "医保", platform: str = "weibo") -> list[Post]:
    return [Post(platform, "1", f"{platform}{i}", text=text, published_at=T0 + timedelta(minutes=i)) for i in range(n)]


def test_totals_stop_at_the_cap_and_say_so(store: SqliteBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    store.upsert_posts(posts(30))
    for module in (sqlite_request, sqlite_listing):
        monkeypatch.setattr(module, "TOTAL_CAP", 10)
    monkeypatch.setattr(sqlite_query, "CANDIDATES", 5)
    for module in (sqlite_query, sqlite_request, sqlite_listing):
        monkeypatch.setattr(module, "FACET_CAP", 7)
    ranked = store.search_posts(PostQuery(q="医保", facets=("platform",)))
    assert (ranked.total, ranked.total_exact) == (10, False)
    assert ranked.facets == {"platform": {"weibo": 7}}  # per value, counting stops at FACET_CAP
    listed = store.search_posts(PostQuery())
    assert (listed.total, listed.total_exact) == (10, False)
    small = store.search_posts(PostQuery(q="医保", limit=3))
    assert len(small.hits) == 3 and small.next_cursor  # only the 5 newest matches are ranked
    last = store.search_posts(PostQuery(q="医保", limit=3, cursor=small.next_cursor))
    assert len(last.hits) == 2 and last.next_cursor is None


def test_filtered_search_runs_the_match_once_not_once_per_row(store: SqliteBackend) -> None:
    """The 86–121 s plan: walking the platform's index and matching per post. Filters are FTS tags now."""
    store.upsert_posts(posts(5) + posts(5, platform="wechat"))
    expr = match_text(parse("医保"), tags=[[tag("p", "weibo")]])
    plan = " | ".join(r[3] for r in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT p.rowid FROM posts_fts CROSS JOIN posts p ON p.rowid = posts_fts.rowid "
        "WHERE posts_fts MATCH ? ORDER BY posts_fts.rowid DESC LIMIT 501", (expr,)))
    assert plan.startswith("SCAN posts_fts VIRTUAL TABLE") and "INTEGER PRIMARY KEY" in plan
    assert store.search_posts(PostQuery(q="医保", platform="weibo")).total == 5


def test_each_thread_reads_through_its_own_connection(store: SqliteBackend) -> None:
    store.upsert_posts(posts(3))
    seen: dict[int, tuple[int, int]] = {}

    def search(n: int) -> None:
        seen[n] = (id(store.reader()), store.search_posts(PostQuery(q="医保")).total)

    threads = [threading.Thread(target=search, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({conn for conn, _ in seen.values()}) == 4 and {total for _, total in seen.values()} == {3}
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.reader().execute("DELETE FROM posts")


def test_a_post_twice_in_one_batch_is_stored_once_with_its_last_text(store: SqliteBackend) -> None:
    first, second = Post("weibo", "1", "a", text="医保"), Post("weibo", "1", "a", text="社保")
    result = store.upsert_posts([first, second])
    assert (result.inserted, result.updated, store.counts()["posts"]) == (1, 1, 1)
    assert store.search_posts(PostQuery(q="社保")).total == 1 and store.search_posts(PostQuery(q="医保")).total == 0


SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE posts (platform TEXT NOT NULL, post_id TEXT NOT NULL, account_id TEXT NOT NULL, url TEXT, title TEXT,
  text TEXT, published_at TEXT, is_original INTEGER, is_pinned INTEGER, is_repost INTEGER, comments INTEGER,
  replies INTEGER, fetched_at TEXT, content_hash TEXT, PRIMARY KEY (platform, post_id));
CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE pages (url TEXT PRIMARY KEY, site TEXT, title TEXT, column_name TEXT, published_at TEXT, text TEXT,
  html TEXT, encoding TEXT, fetched_at TEXT, content_hash TEXT);
CREATE VIRTUAL TABLE pages_fts USING fts5(title, body, content='', tokenize='unicode61 remove_diacritics 2');
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO posts (platform, post_id, account_id, title, text, published_at, is_original, is_pinned, is_repost)
  VALUES ('weibo', 'old', '1', '', '醫保繳費', '2026-11-01 09:00:00', 1, 0, 0);
INSERT INTO posts_fts (rowid, title, body) VALUES (1, '', '医 保 缴 费');
"""


def test_a_schema_1_store_is_reindexed_by_setup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA_1)
    store = SqliteBackend(path)
    store.setup()
    try:
        assert [h.item.post_id for h in store.search_posts(PostQuery(q="医保缴费")).hits] == ["old"]
        assert store.search_posts(PostQuery(q="保缴", platform="weibo")).total == 1
    finally:
        store.close()


def test_newest_first_walks_day_windows_and_agrees_with_a_full_sort(
        store: SqliteBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past SLICE_FROM matches, date order comes from windows of day/month tags; it must equal sorting them all."""
    spread = [Post("weibo", "1", f"s{i}", text="医保" if i % 3 else "社保",
                   published_at=T0 - timedelta(days=(i * 37) % 400, minutes=i)) for i in range(300)]
    spread.append(Post("weibo", "1", "undated", text="医保"))
    store.upsert_posts(spread)
    expected = [p.post_id for p in sorted((p for p in spread if "医" in p.text and p.published_at),
                                          key=lambda p: p.published_at or T0, reverse=True)] + ["undated"]
    monkeypatch.setattr(sqlite_listing, "SLICE_FROM", 10)
    walked: list[tuple[object, ...]] = []
    windows = {}
    monkeypatch.setattr(sqlite_listing, "window_tags", lambda *days: walked.append(days) or window_tags(*days))
    for dense in (2.0, 0.0):  # day windows only; down the date index first (2/3 of the posts match)
        monkeypatch.setattr(sqlite_listing, "DENSE", dense)
        walked.clear()
        for sort, order in (("newest", expected), ("oldest", expected[-2::-1] + ["undated"])):
            got, cursor = [], None
            while True:
                page = store.search_posts(PostQuery(q="医保", sort=sort, limit=7, cursor=cursor))
                got += [h.item.post_id for h in page.hits]
                if not (cursor := page.next_cursor):
                    break
            assert got == order
        windows[dense] = len(walked)
    assert windows[0.0] < windows[2.0] // 2  # the dense walk answered most pages by itself (the last ones fall back)
    since = T0 - timedelta(days=45)  # a date filter is day and month tags too
    inside = [p.post_id for p in sorted((p for p in spread if "医" in p.text and p.published_at
                                         and since <= p.published_at <= T0), key=lambda p: p.published_at or T0)]
    windowed = store.search_posts(PostQuery(q="医保", sort="oldest", since=since, until=T0, limit=50))
    assert [h.item.post_id for h in windowed.hits] == inside and windowed.total == len(inside) > 10


def test_the_api_refuses_a_store_of_an_older_schema_instead_of_answering_wrongly(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "s.db")
    store.setup()
    store.db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store.close()
    with pytest.raises(StoreError, match="schema 2, this govwatch reads schema 3"):
        SqliteBackend(tmp_path / "s.db", read_only=True)
    store = SqliteBackend(tmp_path / "s.db")
    store.setup()  # a writing command re-indexes it
    store.close()
    SqliteBackend(tmp_path / "s.db", read_only=True).close()


def test_a_word_in_twice_the_cap_of_documents_is_not_counted(store: SqliteBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """One unfiltered CJK word whose document count (the FTS vocabulary) is at least twice the cap: "cap+" at
    once; fewer documents, another word alongside or a filter: counted as before."""
    store.upsert_posts(posts(20) + posts(15, "防火", "douyin") + posts(1, "医保 防火", "wechat"))
    for module in (sqlite_request, sqlite_listing):
        monkeypatch.setattr(module, "TOTAL_CAP", 10)
    monkeypatch.setattr(sqlite_query, "CANDIDATES", 5)  # more matches than ranked: the total needs counting
    counted: list[str] = []

    def counting(db: sqlite3.Connection, stats: object, table: str, expr: str, *args: object) -> tuple[int, bool]:
        counted.append(expr)
        return capped_count(db, stats, table, expr, *args)  # type: ignore[arg-type]

    capped_count = sqlite_request.capped_count
    for module in (sqlite_query, sqlite_listing):
        monkeypatch.setattr(module, "capped_count", counting)
    for sort in ("relevance", "newest"):
        found = store.search_posts(PostQuery(q="医保", sort=sort))  # 21 documents ≥ 2 × 10
        assert (found.total, found.total_exact, counted) == (10, False, []), sort
    for query in (PostQuery(q="防火"), PostQuery(q="医保", platform="weibo"), PostQuery(q="医保 OR 防火")):
        found = store.search_posts(query)  # 16 documents; a filter; two words
        assert (found.total, found.total_exact) == (10, False) and len(counted) == 1, query
        counted.clear()
    assert store.search_posts(PostQuery(q="防火", platform="wechat")).total == 1
