"""account_activity on Elasticsearch: the cluster aggregates, Python only joins two sorted streams.

The accounts index is read in (platform, account_id) order, a page at a time. For each page one
composite aggregation over (platform, account_id), with counts, latest dates and the days posted
inside the window as sub-aggregations, covers exactly the posts of that page's key range (a range
filter on account_id per platform): each post is visited once per audit. A composite aggregation
paged over the whole posts index instead walks every post again for each page of buckets
(100 passes over 5,000,000 posts at 100,000 accounts). Memory stays one page of each stream.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from itertools import groupby, islice
from typing import Any

from index.base import AccountActivity
from index.elastic import docs as D
from index.elastic.parts import EsStore

PAGE = 1000  # accounts per request; with ~33 buckets each (days in the window) well under search.max_buckets
Key = tuple[str, str]


def _request(as_of: datetime, window_start: datetime, keys: list[Key], after: dict[str, Any] | None) -> dict[str, Any]:
    sources = [{"platform": {"terms": {"field": "platform"}}}, {"account_id": {"terms": {"field": "account_id"}}}]
    composite: dict[str, Any] = {"size": PAGE, "sources": sources}
    if after:
        composite["after"] = after
    return {
        "size": 0,
        "query": {"bool": {"filter": [{"term": {"is_pinned": False}},
                                      {"range": {"published_at": {"lte": D.dt_out(as_of)}}},
                                      _key_range(keys)]}},
        "aggs": {"accounts": {"composite": composite, "aggs": {
            "last": {"max": {"field": "published_at"}},
            "originals": {"filter": {"term": {"is_original": True}},
                          "aggs": {"last": {"max": {"field": "published_at"}}}},
            "window": {"filter": {"range": {"published_at": {"gt": D.dt_out(window_start)}}},
                       "aggs": {"days": {"date_histogram": {"field": "published_at", "calendar_interval": "day",
                                                            "min_doc_count": 1}}}},
        }}},
    }


def _key_range(keys: list[Key]) -> dict[str, Any]:
    """Posts whose (platform, account_id) lies between the first and last of `keys` (sorted)."""
    per_platform = [
        {"bool": {"filter": [{"term": {"platform": platform}},
                             {"range": {"account_id": {"gte": ids[0][1], "lte": ids[-1][1]}}}]}}
        for platform, ids in ((p, list(group)) for p, group in groupby(keys, key=lambda k: k[0]))
    ]
    return {"bool": {"should": per_platform, "minimum_should_match": 1}}


def _buckets(backend: EsStore, as_of: datetime, window_start: datetime,
             keys: list[Key]) -> Iterator[dict[str, Any]]:
    """The buckets of the posts in `keys`' range, in key order (more than one request only when
    posts of accounts the index lacks fill the page)."""
    after = None
    while True:
        answer = backend.client.search(index=backend.index("posts"), **_request(as_of, window_start, keys, after))
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


def activity(backend: EsStore, as_of: datetime, window_start: datetime) -> Iterator[AccountActivity]:
    """One AccountActivity per stored account, in (platform, account_id) order."""
    accounts = backend.scan("accounts", ["platform", "account_id"], page=PAGE)
    while page := list(islice(accounts, PAGE)):
        keys = [(src["platform"], src["account_id"]) for src in page]
        facts = {(b["key"]["platform"], b["key"]["account_id"]): b
                 for b in _buckets(backend, as_of, window_start, keys)}  # posts of unknown accounts: unused
        for key, src in zip(keys, page, strict=True):
            bucket = facts.get(key)
            yield AccountActivity(account=D.account_from(src), **(_facts(bucket) if bucket else {}))
