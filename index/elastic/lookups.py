"""Batched reads for a page of search hits: their accounts and their open finding kinds in one request.

The API names each hit's account (search_api/directory.py). Read one hit at a time that is a
`get` and a findings search per account: about 40 round trips for a page of 20 hits, which cost
more than the search itself over a network. Here one `_msearch` holds an `ids` search of the
accounts and a terms aggregation of those subjects' open findings.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from core.models import Account, account_key
from index.elastic import docs as D
from index.elastic.facets import msearch

if TYPE_CHECKING:
    from index.elastic.backend import ElasticsearchBackend

Pair = tuple[str, str]


def accounts_and_kinds(backend: ElasticsearchBackend, pairs: Collection[Pair]
                       ) -> tuple[dict[Pair, Account], dict[str, list[str]]]:
    """The stored accounts among (platform, account_id) `pairs` (others left out) and the kinds of
    their open findings by subject key ("platform:account_id")."""
    keys = sorted({account_key(p, a) for p, a in pairs})
    if not keys:
        return {}, {}
    backend.fresh("accounts", "findings")
    accounts = {"size": len(keys), "query": {"ids": {"values": keys}}}  # an account's _id is its subject key
    findings: dict[str, Any] = {
        "size": 0, "query": {"bool": {"filter": [{"term": {"status": "open"}}, {"terms": {"subject_key": keys}}]}},
        "aggs": {"subjects": {"terms": {"field": "subject_key", "size": len(keys)},
                              "aggs": {"kinds": {"terms": {"field": "kind", "size": 100}}}}}}
    found, kinds = msearch(backend.client, [(backend.index("accounts"), accounts),
                                            (backend.index("findings"), findings)])
    stored = (D.account_from(hit["_source"]) for hit in found["hits"]["hits"])
    return ({(a.platform, a.account_id): a for a in stored},
            {b["key"]: sorted(k["key"] for k in b["kinds"]["buckets"])
             for b in kinds["aggregations"]["subjects"]["buckets"]})
