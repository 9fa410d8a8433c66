"""Distinct values read as the cluster's aggregates, not as one document per hit.

Both reads page through a composite aggregation (no bucket limit, keys in
byte order), so Python receives one bucket per distinct value however many
documents share it: the accounts that posted in a time window (the post
check past its cap), and the (URL origin, site) pairs of the stored pages
(the API's site map).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from index.elastic import docs as D
from index.elastic.parts import EsStore

PAGE = 1000

# A page URL up to the first "/" after "://" ("https://www.yz.gov.cn:8080"), computed on the node as the
# SQLite store's GROUP BY computes it (index/sqlite_reads.py); a URL without either stays whole.
_ORIGIN = """
String u = doc['url'].value;
int s = u.indexOf('://');
int slash = s < 0 ? -1 : u.indexOf('/', s + 3);
return slash < 0 ? u : u.substring(0, slash);
"""


def composite_keys(backend: EsStore, name: str, sources: list[dict[str, Any]],
                   query: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Each distinct key (a dict by source name) of the documents of `name` matching `query`, in key order."""
    backend.fresh(name)
    after: dict[str, Any] | None = None
    while True:
        composite: dict[str, Any] = {"size": PAGE, "sources": sources, **({"after": after} if after else {})}
        answer = backend.client.search(index=backend.index(name), size=0, query=query or {"match_all": {}},
                                       aggs={"keys": {"composite": composite}})
        agg = answer["aggregations"]["keys"]
        for bucket in agg["buckets"]:
            yield bucket["key"]
        after = agg.get("after_key")
        if not after or len(agg["buckets"]) < PAGE:
            return


def post_accounts(backend: EsStore, after: datetime | None,
                  before: datetime | None) -> Iterator[tuple[str, str]]:
    """(platform, account_id) of every account with a post published after `after` and before `before`."""
    bounds = {op: D.dt_out(when) for op, when in (("gt", after), ("lt", before)) if when}
    query = {"range": {"published_at": bounds}} if bounds else None
    sources = [{"platform": {"terms": {"field": "platform"}}}, {"account_id": {"terms": {"field": "account_id"}}}]
    for key in composite_keys(backend, "posts", sources, query):
        yield key["platform"], key["account_id"]


def page_origins(backend: EsStore) -> Iterator[tuple[str, str]]:
    """Each distinct (URL origin, site) of the stored pages that have a site."""
    sources: list[dict[str, Any]] = [{"origin": {"terms": {"script": {"source": _ORIGIN, "lang": "painless"}}}},
               {"site": {"terms": {"field": "site"}}}]
    query = {"bool": {"filter": [{"exists": {"field": "site"}}], "must_not": [{"term": {"site": ""}}]}}
    for key in composite_keys(backend, "pages", sources, query):
        yield key["origin"], key["site"]
