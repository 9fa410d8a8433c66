"""A platform whose first posts another process wrote shows in the counts per platform promptly, on the real node.

The API keeps the list of platforms that have posts (facets.py); the process that writes forgets it, but
another API process used to keep it 5 minutes, hiding the new platform's facet all that time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from core.models import PLATFORMS, Post
from index.base import PostQuery
from index.elastic import ElasticsearchBackend, facets, kept
from index.elastic import backend as backend_module

pytestmark = pytest.mark.es
T0 = datetime(2026, 11, 1, 9, 0)


def posts(n: int, platform: str) -> list[Post]:
    return [Post(platform, "1", f"{platform}{i}", text="医保", published_at=T0 + timedelta(minutes=i)) for i in range(n)]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(kept.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes come from another process: this one's kept platform list is not told about them."""
    monkeypatch.setattr(backend_module, "forget_platforms", lambda index: None)


@pytest.fixture
def list_reads(es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The platform-list searches (facets.present_platforms) sent to the cluster."""
    sent: list[dict[str, Any]] = []
    search = es.client.search

    def spy(**kwargs: Any) -> Any:
        if "p" in (kwargs.get("aggs") or {}):
            sent.append(kwargs)
        return search(**kwargs)

    monkeypatch.setattr(es.client, "search", spy)
    yield sent


def counts(es: ElasticsearchBackend, **kwargs: Any) -> dict[str, int]:
    return es.search_posts(PostQuery(q="医保", facets=("platform",), **kwargs)).facets["platform"]


def test_a_platform_another_process_wrote_counts_at_once_when_the_search_sees_it(
        es: ElasticsearchBackend, clock: list[float], elsewhere: None, list_reads: list[dict[str, Any]]) -> None:
    es.upsert_posts(posts(4, "weibo"))
    assert counts(es) == {"weibo": 4}
    es.upsert_posts(posts(3, "douyin"))
    clock[0] += 1  # well within the kept list's life
    assert counts(es) == {"weibo": 4, "douyin": 3}  # the search's own aggregation met it
    assert counts(es, platform="douyin") == {"douyin": 3}
    assert len(list_reads) == 1  # the list was read once, and not per search


def test_a_platform_past_the_tally_sample_counts_once_the_list_is_checked(
        es: ElasticsearchBackend, clock: list[float], elsewhere: None, list_reads: list[dict[str, Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """More matches than the tally collects: a platform the kept list lacks may be outside the sample; after
    PROBE_AFTER seconds one search asks about the platforms without posts, and then counts it alone."""
    monkeypatch.setattr(facets, "TOTAL_CAP", 4)
    monkeypatch.setattr(facets, "FACET_CAP", 5)
    es.upsert_posts(posts(9, "weibo"))
    assert counts(es, sort="newest") == {"weibo": 5}
    es.upsert_posts(posts(3, "douyin"))
    clock[0] += 11  # the old code kept its list 300 s
    assert counts(es, sort="newest") == {"weibo": 5, "douyin": 3}
    assert len(list_reads) == 2
    probe = list_reads[1]["query"]  # only the platforms missing from the list, not an aggregation over all posts
    assert probe == {"terms": {"platform": [p for p in PLATFORMS if p != "weibo"]}}
    clock[0] += 5
    counts(es, sort="newest")
    assert len(list_reads) == 2  # a fresh list: no request


def test_when_every_platform_has_posts_the_list_is_never_asked_again(
        es: ElasticsearchBackend, clock: list[float], list_reads: list[dict[str, Any]]) -> None:
    es.upsert_posts([post for platform in PLATFORMS for post in posts(1, platform)])
    assert counts(es) == {p: 1 for p in sorted(PLATFORMS)}
    clock[0] += 3600
    counts(es)
    assert len(list_reads) == 1
