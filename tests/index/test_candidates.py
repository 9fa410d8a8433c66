"""Relevance ranks only the newest-indexed CANDIDATES matches, on both backends (index/sqlite_query.py,
index/elastic/candidates.py): an older, more relevant match stays out, and counts say so."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.models import Post
from index import sqlite_query
from index.base import Backend, PostQuery
from index.elastic import ElasticsearchBackend, candidates

T0 = datetime(2026, 11, 1, 9, 0)


def post(pid: str, text: str, minute: int) -> Post:
    return Post(platform="weibo", account_id="1", post_id=pid, text=text, published_at=T0 + timedelta(minutes=minute))


@pytest.fixture
def five(monkeypatch: pytest.MonkeyPatch) -> None:
    """Five candidates; Elasticsearch looks first at the 2 newest documents, so it must widen its window."""
    monkeypatch.setattr(sqlite_query, "CANDIDATES", 5)
    monkeypatch.setattr(candidates, "CANDIDATES", 5)
    monkeypatch.setattr(candidates, "FIRST_WINDOW", 2)


def test_only_the_newest_matches_are_ranked(backend: Backend, five: None) -> None:
    backend.upsert_posts([post("old", "医保医保医保医保", 0)])  # the best match, indexed first
    for i in range(1, 9):
        backend.upsert_posts([post(f"n{i}", f"医保通知第{i}号", i)])
    found = backend.search_posts(PostQuery(q="医保", facets=("platform",)))
    assert [h.item.post_id for h in found.hits] == ["n8", "n7", "n6", "n5", "n4"]  # type: ignore[union-attr]
    assert (found.total, found.total_exact) == (9, True)  # the total still counts every match
    assert found.facets == {"platform": {"weibo": 9}}
    newest = backend.search_posts(PostQuery(q="医保", sort="newest", limit=1))
    assert [h.item.post_id for h in newest.hits] == ["n8"]  # type: ignore[union-attr]


def test_a_long_query_takes_candidates_holding_its_rarest_words(backend: Backend, five: None) -> None:
    """4 words: 3 must match; candidates hold one of the 2 rarest (缴费, 医保), newest first."""
    backend.upsert_posts([post(f"f{i}", f"通知 公告 其他{i}", i) for i in range(6)])  # common words only
    backend.upsert_posts([post("old", "医保 缴费 通知 公告", 10)])  # all four words, but older
    for i in range(1, 7):
        backend.upsert_posts([post(f"a{i}", f"医保 通知 公告 第{i}", 10 + i)])
    found = backend.search_posts(PostQuery(q="医保 缴费 通知 公告", facets=("platform",)))
    assert [h.item.post_id for h in found.hits] == ["a6", "a5", "a4", "a3", "a2"]  # type: ignore[union-attr]
    assert (found.total, found.total_exact) == (5, False)  # the verified candidates, more may exist
    assert found.facets == {"platform": {"weibo": 5}}
    few = backend.search_posts(PostQuery(q="医保 缴费 通知 公告", account="1", since=T0 + timedelta(minutes=9),
                                         until=T0 + timedelta(minutes=12)))
    assert [h.item.post_id for h in few.hits] == ["old", "a2", "a1"]  # type: ignore[union-attr]
    assert (few.total, few.total_exact) == (3, True)  # fewer than five candidates: all ranked, exact


def test_the_window_widens_until_enough_match(es: ElasticsearchBackend, five: None) -> None:
    """Only the 6 oldest of 40 posts match: the newest 2, then 16 hold none; the whole index has 6."""
    es.upsert_posts([post(f"m{i}", "医保通知", i) for i in range(6)])
    es.upsert_posts([post(f"o{i}", "防火通知", 10 + i) for i in range(34)])
    es.fresh("posts")  # as search_posts does before it searches
    searches: list[object] = []
    search = es.client.search

    def spy(**kw: object) -> object:
        searches.append(kw.get("query"))
        return search(**kw)  # type: ignore[arg-type]

    es.client.search = spy  # type: ignore[method-assign]
    match = {"match_phrase": {"search": "医保"}}
    cutoff = candidates.newest(es, "posts", match)
    assert [s for s in searches if "range" in str(s)] and len(searches) == 1 + 3  # seq bounds, 2 → 16 → all
    ranked = es.client.search(index=es.index("posts"), query={"range": {"seq": {"gte": cutoff}}}, size=50)
    assert sorted(h["_id"].split(":")[1] for h in ranked["hits"]["hits"]
                  if h["_id"].split(":")[1].startswith("m")) == ["m1", "m2", "m3", "m4", "m5"]
    searches.clear()
    assert candidates.newest(es, "posts", match, most=5) is None and searches == []  # known rare: no search
