"""Relevance ranks only the newest-indexed CANDIDATES matches, on both backends (index/sqlite_query.py,
index/elastic/candidates.py): an older, more relevant match stays out, and counts say so."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta

import pytest

from core.errors import QueryError
from core.models import Post
from index import sqlite_query
from index.base import Backend, PostQuery
from index.elastic import ElasticsearchBackend, candidates
from index.elastic.search import decode_cursor, encode_cursor

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


def cutoff_searches(es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The candidate searches (a sort on seq asking for the CANDIDATES-th hit) sent to the cluster."""
    sent: list[object] = []
    search = es.client.search

    def spy(**kw: object) -> object:
        if kw.get("stored_fields") == "_none_":
            sent.append(kw)
        return search(**kw)  # type: ignore[arg-type]

    monkeypatch.setattr(es.client, "search", spy)
    return sent


def test_a_cutoff_is_found_once_for_a_search_asked_again_and_its_next_pages(
        es: ElasticsearchBackend, five: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking the same search again, or for its next page, ranks the same candidates without a search for them;
    a document written since is newer than the cutoff, so it is a candidate too."""
    es.upsert_posts([post(f"m{i}", f"医保通知{'医保' * (i % 3)}", i) for i in range(12)])
    sent = cutoff_searches(es, monkeypatch)
    first = es.search_posts(PostQuery(q="医保", limit=3))
    assert len(sent) == 1 and first.next_cursor
    assert es.search_posts(PostQuery(q="医保", limit=3)).hits == first.hits and len(sent) == 1
    pages = [first]
    while pages[-1].next_cursor:
        pages.append(es.search_posts(PostQuery(q="医保", limit=3, cursor=pages[-1].next_cursor)))
    ranked = [h.item.post_id for p in pages for h in p.hits]  # type: ignore[union-attr]
    assert sorted(ranked) == ["m10", "m11", "m7", "m8", "m9"] and len(sent) == 1  # the 5 newest, found once
    es.upsert_posts([post("new", "医保医保医保医保", 20)])
    again = es.search_posts(PostQuery(q="医保", limit=3))
    assert again.hits[0].item.post_id == "new"  # type: ignore[union-attr]


def test_a_cursor_that_carries_a_bad_cutoff_is_refused(es: ElasticsearchBackend) -> None:
    bad = base64.urlsafe_b64encode(json.dumps({"s": "relevance", "a": [1.0, 2], "c": "x"}).encode()).decode()
    with pytest.raises(QueryError, match="cursor"):
        es.search_posts(PostQuery(q="医保", cursor=bad))


@pytest.mark.parametrize("cutoff", [None, 0, -3, True])
def test_a_cursor_carrying_what_is_not_a_seq_is_refused_by_name(cutoff: object) -> None:
    """A carried cutoff bounds the ranked candidates: null or 0 would rank every match, true is an int to
    Python; only a document's seq (a positive int) is one a search returned."""
    bad = base64.urlsafe_b64encode(json.dumps({"s": "relevance", "a": [1.0, 2], "c": cutoff}).encode()).decode()
    with pytest.raises(QueryError, match="cursor carries a cutoff") as raised:
        decode_cursor(bad, "relevance")
    assert raised.value.field == "cursor"


def test_a_cursor_carries_a_cutoff_only_when_the_search_had_one() -> None:
    seq = 1_764_000_000_000_000_123
    assert decode_cursor(encode_cursor("relevance", [1.5, seq], seq), "relevance") == ([1.5, seq], seq)
    assert decode_cursor(encode_cursor("relevance", [1.5, seq]), "relevance") == ([1.5, seq], None)
