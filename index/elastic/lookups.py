"""Batched reads for a page of search hits: their accounts and their open finding kinds in two requests.

The API names each hit's account (search_api/directory.py). Read one hit at a time that is a
`get` and a findings search per account: about 40 round trips for a page of 20 hits, which cost
more than the search itself over a network. Here one `_mget` reads the accounts and one search
(a terms aggregation over the open findings of those subjects) their kinds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from core.models import Account, account_key
from index.elastic import docs as D

if TYPE_CHECKING:
    from index.elastic.backend import ElasticsearchBackend

Pair = tuple[str, str]


def accounts_of(backend: ElasticsearchBackend, pairs: Iterable[Pair]) -> dict[Pair, Account]:
    """The stored accounts among (platform, account_id) `pairs`; pairs not stored are left out."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    backend.fresh("accounts")
    docs = backend.client.mget(index=backend.index("accounts"), body={"ids": [f"{p}:{a}" for p, a in wanted]})["docs"]
    found = (D.account_from(d["_source"]) for d in docs if d.get("found"))
    return {(a.platform, a.account_id): a for a in found}


def open_kinds_of(backend: ElasticsearchBackend, pairs: Iterable[Pair]) -> dict[str, list[str]]:
    """Kinds of the open findings about each of `pairs`, by subject key ("platform:account_id")."""
    keys = sorted({account_key(p, a) for p, a in pairs})
    if not keys:
        return {}
    backend.fresh("findings")
    query = {"bool": {"filter": [{"term": {"status": "open"}}, {"terms": {"subject_key": keys}}]}}
    aggs = {"subjects": {"terms": {"field": "subject_key", "size": len(keys)},
                         "aggs": {"kinds": {"terms": {"field": "kind", "size": 100}}}}}
    answer = backend.client.search(index=backend.index("findings"), size=0, query=query, aggs=aggs)
    return {b["key"]: sorted(k["key"] for k in b["kinds"]["buckets"])
            for b in answer["aggregations"]["subjects"]["buckets"]}
