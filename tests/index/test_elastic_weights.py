"""Word weights on Elasticsearch (index/elastic/weights.py): a word weighs its rarest token's idf, as in SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from core.models import Post
from index.base import PostQuery
from index.elastic import ElasticsearchBackend
from index.elastic.weights import term_boosts
from index.query import parse
from index.sqlite import SqliteBackend
from tests.es_node import es_store

pytestmark = pytest.mark.es
T0 = datetime(2026, 11, 1, 9, 0)
# 医保 is one bigram; 食品安全 is three (食品 品安 安全) of which 安全 and 食品 are everywhere.
DOCS = {"a": "今天发布医保通知请大家留意", "b": "今天发布食品安全通知请留意"}
BACKGROUND = ["安全生产检查", "食品价格稳定", "交通安全宣传", "安全食品展销"] * 5


def _posts() -> list[Post]:
    texts = [*DOCS.items(), *((f"x{i}", t) for i, t in enumerate(BACKGROUND))]
    return [Post(platform="weibo", account_id="1", post_id=pid, text=text, published_at=T0) for pid, text in texts]


@pytest.fixture
def es(es_url: str, tmp_path: Path) -> Iterator[ElasticsearchBackend]:
    with es_store(es_url, tmp_path) as store:
        store.upsert_posts(_posts())
        yield store


def _scores(store: ElasticsearchBackend | SqliteBackend, q: str) -> dict[str, float]:
    return {h.item.post_id: h.score for h in store.search_posts(PostQuery(q=q, limit=10)).hits}  # type: ignore[union-attr]


def test_two_equally_rare_words_weigh_the_same_whatever_their_length(es: ElasticsearchBackend, tmp_path: Path) -> None:
    """Each word is in one post: SQLite scores both posts alike, and so does Elasticsearch with the boosts."""
    ours = _scores(es, "医保 OR 食品安全")
    boosts = term_boosts(es, "posts", parse("医保 OR 食品安全"))
    assert set(boosts) == {"食品安全"} and boosts["食品安全"] < 1.0  # 医保 is one token: no boost needed
    assert set(ours) == {"a", "b"} and ours["a"] == pytest.approx(ours["b"], rel=0.02)
    sqlite = SqliteBackend(tmp_path / "s.db")
    sqlite.setup()
    sqlite.upsert_posts(_posts())
    theirs = _scores(sqlite, "医保 OR 食品安全")
    sqlite.close()
    assert theirs["a"] == pytest.approx(theirs["b"], rel=0.02)


def test_an_index_with_nothing_searchable_yet_keeps_no_weights(es_url: str, tmp_path: Path) -> None:
    """Weights made before the first refresh would be wrong for TTL seconds: none are made or kept."""
    with es_store(es_url, tmp_path) as store:
        assert term_boosts(store, "posts", parse("医保 OR 食品安全")) == {}
        store.upsert_posts(_posts())
        store.fresh("posts")
        assert set(term_boosts(store, "posts", parse("医保 OR 食品安全"))) == {"食品安全"}


def test_a_query_of_one_word_asks_for_no_statistics(es: ElasticsearchBackend) -> None:
    """One word alone, or words of one token each, rank the same with any weight: no request is made."""
    assert term_boosts(es, "posts", parse("食品安全")) == {}
    assert term_boosts(es, "posts", parse("医保 OR 通知")) == {}
