"""The commonest words' document counts read ahead (index/sqlite_warm.py): the values a search would read,
never kept across a write, and searches that answer exactly as without them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import sqlite_warm
from index.base import FACETS, PostQuery
from index.sqlite import SqliteBackend
from index.sqlite_warm import common_tokens, token_docs
from tests.index.sqlite_caps import posts, small_caps

COMMON_TEXT = "医保缴费 防火通知"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """40 posts: every one holds 医保 and 防火, one also 招聘 (under SHARE)."""
    store = SqliteBackend(tmp_path / "store.db")
    store.setup()
    store.upsert_posts(posts(36, "weibo", text=COMMON_TEXT) + posts(3, "wechat", text=COMMON_TEXT)
                       + posts(1, "douyin", text=COMMON_TEXT + " 招聘"))
    store.close()
    return tmp_path / "store.db"


@pytest.fixture
def api(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SqliteBackend]:
    """The store as the API opens it (read-only), with its common words read ahead; from a sample of 10
    documents, so that a count taken from the sample (10) would not pass for the real one (40)."""
    monkeypatch.setattr(sqlite_warm, "SAMPLE", 10)
    store = SqliteBackend(path, read_only=True)
    store.search_posts(PostQuery(q="招聘"))  # the first search starts the reading
    thread = store.stats.warm("posts")
    assert thread is not None
    thread.join(timeout=120)
    assert not thread.is_alive(), "the read-ahead did not end"  # else the counts below would race it
    yield store
    store.close()


def vocab_reads(db: sqlite3.Connection) -> list[str]:
    seen: list[str] = []
    db.set_trace_callback(lambda sql: seen.append(sql) if "_fts_vocab" in sql else None)
    return seen


def test_common_tokens_are_those_in_a_share_of_the_newest_documents(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        common = common_tokens(conn, "posts")
    finally:
        conn.close()
    assert {"医保", "保缴", "缴费", "防火", "火通", "通知"} == set(common)  # every post's bigrams, no single characters
    assert "招聘" not in common, "in 1 of 40 documents: under SHARE"


def test_read_ahead_counts_are_what_a_search_reads_and_spare_the_reads(api: SqliteBackend) -> None:
    db = api.reader()
    seen = vocab_reads(db)
    for token in ("医保", "防火", "通知"):
        assert api.stats.token_freq(db, "posts", token) == 40
    assert not seen, "read ahead: no search reads them again"
    assert api.stats.token_freq(db, "posts", "招聘") == token_docs(db, "posts", "招聘") == 1
    assert seen, "a word that is not common is read when asked, as before"


@pytest.mark.parametrize("query", [PostQuery(q="医保", facets=FACETS), PostQuery(q="医保 招聘", facets=FACETS),
                                   PostQuery(q="防火 OR 招聘", facets=FACETS),
                                   PostQuery(q="通知", sort="newest", facets=FACETS),
                                   PostQuery(q="医保缴费的防火通知", facets=FACETS)], ids=lambda q: q.q)
def test_searches_answer_as_without_reading_ahead(api: SqliteBackend, path: Path, query: PostQuery,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    small_caps(monkeypatch, total_cap=20, facet_cap=4)
    plain = SqliteBackend(path)  # not read-only: nothing read ahead
    try:
        assert plain.stats.warm("posts") is None
        expected, got = plain.search_posts(query), api.search_posts(query)
    finally:
        plain.close()
    assert [(h.item.post_id, h.score, h.snippet, h.highlights) for h in got.hits] == \
        [(h.item.post_id, h.score, h.snippet, h.highlights) for h in expected.hits]
    assert (got.total, got.total_exact, got.facets, got.next_cursor) == \
        (expected.total, expected.total_exact, expected.facets, expected.next_cursor)


def test_counts_read_before_a_write_are_not_kept(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SqliteBackend(path, read_only=True)
    read = sqlite_warm.read_common

    def while_writing(path: str, table: str) -> tuple[bytes | None, dict[str, int]]:
        out = read(path, table)
        store.stats.changed()  # the store wrote while the counts were being read
        return out

    monkeypatch.setattr(sqlite_warm, "read_common", while_writing)
    try:
        thread = store.stats.warm("posts")
        assert thread is not None
        thread.join(timeout=120)
        assert not thread.is_alive(), "the read-ahead did not end"
        seen = vocab_reads(store.reader())
        assert store.stats.token_freq(store.reader(), "posts", "医保") == 40
        assert seen, "counted again after the write, not taken from the reading ahead"
    finally:
        store.close()
