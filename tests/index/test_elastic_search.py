"""Elasticsearch-specific search behaviour on the real node: capped counts per platform."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.errors import QueryError
from core.models import Post
from index.base import PostQuery
from index.elastic import ElasticsearchBackend, facets, test_backend
from index.elastic import indices as I

pytestmark = pytest.mark.es
T0 = datetime(2026, 11, 1, 9, 0)


@pytest.fixture
def es(es_url: str, tmp_path: Path) -> Iterator[ElasticsearchBackend]:
    backend = test_backend(es_url, tmp_path)
    backend.setup()
    yield backend
    I.drop_all(backend.client, backend.prefix)
    backend.close()


def posts(n: int, platform: str, text: str = "医保") -> list[Post]:
    return [Post(platform, "1", f"{platform}{i}", text=text, published_at=T0 + timedelta(minutes=i)) for i in range(n)]


def test_counts_per_platform_stop_at_the_cap_like_sqlite(es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    es.upsert_posts(posts(9, "weibo") + posts(3, "wechat") + posts(4, "douyin", "防火"))
    monkeypatch.setattr(facets, "FACET_CAP", 5)
    result = es.search_posts(PostQuery(q="医保", facets=("platform",)))
    assert result.total == 12 and result.facets == {"platform": {"weibo": 5, "wechat": 3}}
    one = es.search_posts(PostQuery(q="医保", platform="wechat", facets=("platform",)))
    assert one.facets == {"platform": {"wechat": 3}}  # the other platforms are not counted at all
    everything = es.search_posts(PostQuery(facets=("platform",)))
    assert everything.facets == {"platform": {"weibo": 5, "douyin": 4, "wechat": 3}}
    nothing = es.search_posts(PostQuery(q="医保", owner="无此单位", facets=("platform",)))
    assert (nothing.total, nothing.facets) == (0, {"platform": {}})


def test_an_unknown_facet_is_a_query_error(es: ElasticsearchBackend) -> None:
    with pytest.raises(QueryError, match="facet"):
        es.search_posts(PostQuery(q="医保", facets=("account_id",)))
