"""First pages of date-sorted post searches from the date order in memory (index/sqlite_newest.py): the very
pages, totals, counts per platform and cursors of the general way, and never from a map of another state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from core.models import Post
from index import sqlite_listing, sqlite_newest
from index.base import FACETS, PostQuery
from index.sqlite import SqliteBackend
from tests.index.sqlite_caps import T0, small_caps, without_map

PLATFORMS = ("weibo", "wechat", "douyin")


def corpus() -> list[Post]:
    """150 posts whose dates do not follow their rowids (a shortcut in rowid order would show), 14 undated.

    医保 is in most posts (the walk: over the total cap on each platform), 防火 in 12 (read whole), 招聘 in three.
    """
    out = []
    for i in range(150):
        text = ("医保 " if i % 5 else "") + ("防火 " if i % 13 == 0 else "") + ("招聘" if i in (3, 40, 61) else "")
        when = None if i % 11 == 0 else T0 + timedelta(hours=(i * 37) % 150, minutes=i % 3)
        out.append(Post(PLATFORMS[i % 3], "1", f"p{i}", text=text or "其他", published_at=when))
    return out


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[SqliteBackend, SqliteBackend]]:
    """(writer, the API's read-only store with its map built); caps small enough for 150 posts to pass them."""
    small_caps(monkeypatch, total_cap=20, facet_cap=3)  # 防火 is on 4 posts of each platform
    writer = SqliteBackend(tmp_path / "store.db")
    writer.setup()
    writer.upsert_posts(corpus())
    store = SqliteBackend(tmp_path / "store.db", read_only=True)
    store.stats.platform_map.build(str(tmp_path / "store.db"))
    yield writer, store
    store.close()
    writer.close()


def answer(store: SqliteBackend, query: PostQuery) -> tuple:
    found = store.search_posts(query)
    return (found.total, found.total_exact, found.facets, found.next_cursor,
            [(h.item.post_id, h.item.published_at, h.snippet) for h in found.hits])


def general_way(store: SqliteBackend, query: PostQuery, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """The answer with no map at all: counts, per-platform counts and day windows as before it."""
    return without_map(store, monkeypatch, lambda: answer(store, query))


def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which shortcut answered each search ('counted', 'walked'), as listing calls them."""
    used: list[str] = []

    def watched(name: str) -> Callable[..., object]:
        real = getattr(sqlite_listing, name)

        def wrapped(*args: object, **kwargs: object) -> object:
            got = real(*args, **kwargs)
            if got is not None:
                used.append(name.split("_")[0])
            return got
        return wrapped

    for name in ("counted_page", "walked_page"):
        monkeypatch.setattr(sqlite_listing, name, watched(name))
    return used


CASES = [  # (query, the shortcut expected to answer it)
    (PostQuery(q="防火", sort="newest", facets=FACETS), "counted"),
    (PostQuery(q="防火", sort="oldest", facets=FACETS), "counted"),
    (PostQuery(q="防火", sort="newest", limit=2, offset=1, facets=FACETS), "counted"),
    (PostQuery(q="招聘", sort="newest", facets=FACETS), "counted"),  # one undated match: after the dated ones
    (PostQuery(q="医保", sort="newest", platform="wechat", limit=3, facets=FACETS), "walked"),
    (PostQuery(q="医保", sort="oldest", platform="douyin", limit=4, facets=FACETS), "walked"),
    (PostQuery(q="医保 防火", sort="newest", platform="weibo", facets=FACETS), "counted"),
]


@pytest.mark.parametrize(("query", "shortcut"), CASES, ids=lambda c: f"{c.q}-{c.sort}-{c.platform}-{c.offset}"
                         if isinstance(c, PostQuery) else str(c))
def test_shortcuts_answer_as_the_general_way(api: tuple[SqliteBackend, SqliteBackend], query: PostQuery,
                                             shortcut: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, store = api
    expected = general_way(store, query, monkeypatch)
    used = spy(monkeypatch)
    store.stats.changed()
    got = answer(store, query)
    assert used == [shortcut]
    assert got == expected
    if got[3]:  # the next page (with a cursor: the general way) follows on from it as from the general way's
        after = replace(query, cursor=got[3], offset=0)
        assert answer(store, after) == general_way(store, after, monkeypatch)


def test_the_pages_really_are_in_date_order(api: tuple[SqliteBackend, SqliteBackend]) -> None:
    _, store = api
    found = store.search_posts(PostQuery(q="防火", sort="newest", limit=20))
    dated = [h.item.published_at for h in found.hits if h.item.published_at]
    assert dated == sorted(dated, reverse=True) and len(dated) == 10
    assert [h.item.post_id for h in found.hits][10:] == ["p143", "p0"]  # undated: last, newest-indexed first


def test_a_map_of_another_state_is_not_used(api: tuple[SqliteBackend, SqliteBackend],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The newest-indexed post is re-dated and re-written: its rowid comes back with an older date, which the
    map (read before) would still place last."""
    writer, store = api
    top = store.reader().execute("SELECT max(rowid), post_id FROM posts").fetchone()
    post = next(p for p in corpus() if p.post_id == top[1])
    assert post.published_at is not None
    old = replace(post, text=post.text + " 防火", published_at=T0 - timedelta(days=30))
    writer.upsert_posts([old])
    assert store.reader().execute("SELECT rowid FROM posts WHERE post_id = ?", (top[1],)).fetchone()[0] == top[0]
    query = PostQuery(q="防火", sort="oldest", limit=3, facets=FACETS)
    used = spy(monkeypatch)
    got = answer(store, query)
    assert got[4][0][0] == top[1], "the re-dated post is now the oldest match"
    assert used == [], "the map was read before the write: the general way answered"
    assert got == general_way(store, query, monkeypatch)


@pytest.mark.parametrize(("query", "step"), [(CASES[0][0], "_latest"), (CASES[4][0], "_tested")],
                         ids=["counted", "walked"])
def test_a_post_rewritten_during_the_search_sends_it_the_general_way(
        api: tuple[SqliteBackend, SqliteBackend], query: PostQuery, step: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A crawl re-writes a matched post (a new rowid) between the statement that found the page's rowids and
    the one reading their dates: the page is not made of a row that is gone."""
    writer, store = api
    top = store.reader().execute("SELECT max(rowid) FROM posts").fetchone()[0]
    real = getattr(sqlite_newest, step)
    rewritten: list[str] = []

    def then_rewrite(*args: object) -> object:
        got = real(*args)
        if not rewritten:
            order = args[2] if step == "_tested" else got  # the walk's batch, in date order; or the page
            rowid = next(r for r in order if r in got and r != top)  # the newest-indexed post keeps its rowid
            post_id = store.reader().execute("SELECT post_id FROM posts WHERE rowid = ?", (rowid,)).fetchone()[0]
            post = next(p for p in corpus() if p.post_id == post_id)
            writer.upsert_posts([replace(post, text=post.text + " 改")])
            rewritten.append(post_id)
        return got

    with monkeypatch.context() as m:
        m.setattr(sqlite_newest, step, then_rewrite)
        got = answer(store, query)
    assert rewritten and rewritten[0] in [hit[0] for hit in got[4]], "the rewritten post is still on the page"
    assert got == general_way(store, query, monkeypatch)
