"""The API's start-up searches over Elasticsearch (search_api/warm_searches.py), on the suite's real node."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.models import Post
from index.elastic import ElasticsearchBackend
from index.query import MAX_QUERY_CHARS
from index.sqlite import SqliteBackend
from search_api import warm_searches as W
from tests.es_node import es_store

T0 = datetime(2026, 11, 1, 9, 0)
TITLES = {"weibo": "医保缴费通知", "douyin": "防火安全提醒"}
LONG = "乡村振兴" * (MAX_QUERY_CHARS // 4 + 1)  # a title the query language refuses as a query


def _posts() -> list[Post]:
    posts = [Post(platform=p, account_id="1", post_id=f"{p}-{n}", title=title, text=f"{title}，请留意。",
                  published_at=T0 + timedelta(minutes=n)) for n, (p, title) in enumerate(TITLES.items())]
    return [*posts, Post(platform="weibo", account_id="1", post_id="long", title=LONG, text="乡村振兴",
                         published_at=T0 - timedelta(days=1))]


@pytest.fixture
def es(es_url: str, tmp_path: Path) -> Iterator[ElasticsearchBackend]:
    with es_store(es_url, tmp_path) as store:
        store.upsert_posts(_posts())
        yield store


def _searches(store: ElasticsearchBackend) -> int:
    stats = store.client.indices.stats(index=store.index("posts"), metric="search")
    return int(stats["_all"]["primaries"]["search"]["query_total"])


@pytest.mark.es
def test_the_sample_is_the_newest_posts_words_titles_and_platforms(es: ElasticsearchBackend) -> None:
    words, titles, platforms = W.sample(es)
    assert titles == [TITLES["douyin"], TITLES["weibo"], LONG]  # newest first
    assert {"医保", "防火", "安全", "提醒"} <= set(words)  # jieba's words of the titles
    assert all(2 <= len(w) <= 4 for w in words)
    assert platforms == ["douyin", "weibo"]


@pytest.mark.es
def test_every_warm_up_search_runs_on_the_node_and_a_refused_one_is_skipped(es: ElasticsearchBackend) -> None:
    planned = list(W.queries(*W.sample(es)))
    refused = [q for q in planned if q.q == LONG]
    assert refused  # the long title is among the searches, and the query language refuses it
    before = _searches(es)
    assert W.warm_searches(es, seconds=0) == 0 and _searches(es) == before  # [api] warm_searches_seconds = 0
    done = W.warm_searches(es, seconds=600)  # a few dozen searches: they run out long before the deadline
    assert done == len(planned) - len(refused)
    assert _searches(es) - before >= done  # each one reached the node (a search, often a tally beside it)


@pytest.mark.es
def test_a_node_that_goes_away_stops_the_warm_up_without_raising(es: ElasticsearchBackend,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from search_api.routes import search

    calls: list[Any] = []

    def gone(store: Any, query: Any) -> Any:
        calls.append(query)
        if len(calls) == 3:
            raise ConnectionError("node gone")
        return {}

    monkeypatch.setattr(search, "run_posts", gone)
    assert W.warm_searches(es, seconds=600) == 2
    assert len(calls) == 3


def test_the_shapes_cover_what_users_send_and_no_pair_is_asked_twice() -> None:
    words = ["医保", "防火", "通知", "乡村"]
    planned = list(W.queries(words, ["医保缴费通知"], ["weibo", "douyin"]))
    pairs = [q.q for q in planned if " " in q.q and "OR" not in q.q]
    assert len(pairs) == len(set(pairs)) == len(words) * (len(words) - 1)
    assert {frozenset(p.split()) for p in pairs} == {frozenset((a, b)) for a in words for b in words if a != b}
    assert any(" OR " in q.q for q in planned)
    assert any(q.sort == "newest" and q.platform for q in planned)
    assert any(q.platform and q.sort == "relevance" for q in planned)
    assert any(len(q.q) == 1 for q in planned)
    assert any(q.q == "医保缴费通知" for q in planned)
    assert list(W.queries([], ["标题"], ["weibo"])) == []


def test_no_warm_up_over_sqlite(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "s.db")
    store.setup()
    store.upsert_posts(_posts())
    assert W.warm_searches(store, seconds=600) == 0
    store.close()
