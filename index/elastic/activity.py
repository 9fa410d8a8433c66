"""account_activity on Elasticsearch: the cluster aggregates, Python only joins two sorted streams.

A composite aggregation over (platform, account_id) pages through every account that has
posts, with counts, latest dates and the days posted inside the window as sub-aggregations;
the accounts index is read in the same order, so memory stays one page of each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from index.base import AccountActivity
from index.elastic import docs as D

if TYPE_CHECKING:
    from index.elastic.backend import ElasticsearchBackend

PAGE = 1000


def _request(as_of: datetime, window_start: datetime, after: dict[str, Any] | None) -> dict[str, Any]:
    sources = [{"platform": {"terms": {"field": "platform"}}}, {"account_id": {"terms": {"field": "account_id"}}}]
    composite: dict[str, Any] = {"size": PAGE, "sources": sources}
    if after:
        composite["after"] = after
    return {
        "size": 0,
        "query": {"bool": {"filter": [{"term": {"is_pinned": False}},
                                      {"range": {"published_at": {"lte": D.dt_out(as_of)}}}]}},
        "aggs": {"accounts": {"composite": composite, "aggs": {
            "last": {"max": {"field": "published_at"}},
            "originals": {"filter": {"term": {"is_original": True}},
                          "aggs": {"last": {"max": {"field": "published_at"}}}},
            "window": {"filter": {"range": {"published_at": {"gt": D.dt_out(window_start)}}},
                       "aggs": {"days": {"date_histogram": {"field": "published_at", "calendar_interval": "day",
                                                            "min_doc_count": 1}}}},
        }}},
    }


def _buckets(backend: ElasticsearchBackend, as_of: datetime, window_start: datetime) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        answer = backend.client.search(index=backend.index("posts"), **_request(as_of, window_start, after))
        agg = answer["aggregations"]["accounts"]
        yield from agg["buckets"]
        after = agg.get("after_key")
        if not after or len(agg["buckets"]) < PAGE:
            return


def _when(agg: dict[str, Any]) -> datetime | None:
    text = agg.get("value_as_string")
    return datetime.fromisoformat(text[:19]) if text and agg.get("value") is not None else None


def _facts(bucket: dict[str, Any]) -> dict[str, Any]:
    days = {date.fromisoformat(b["key_as_string"][:10]) for b in bucket["window"]["days"]["buckets"]}
    return {
        "posts_total": int(bucket["doc_count"]), "originals_total": int(bucket["originals"]["doc_count"]),
        "last_post_at": _when(bucket["last"]), "last_original_at": _when(bucket["originals"]["last"]),
        "post_days": days,
    }


def activity(backend: ElasticsearchBackend, as_of: datetime, window_start: datetime) -> Iterator[AccountActivity]:
    """One AccountActivity per stored account, in (platform, account_id) order."""
    buckets = _buckets(backend, as_of, window_start)
    bucket = next(buckets, None)
    for src in backend.scan("accounts", ["platform", "account_id"]):
        key = (src["platform"], src["account_id"])
        # both streams are sorted by the same keyword byte order; skip posts of unknown accounts
        while bucket is not None and (bucket["key"]["platform"], bucket["key"]["account_id"]) < key:
            bucket = next(buckets, None)
        facts: dict[str, Any] = {}
        if bucket is not None and (bucket["key"]["platform"], bucket["key"]["account_id"]) == key:
            facts = _facts(bucket)
        yield AccountActivity(account=D.account_from(src), **facts)
