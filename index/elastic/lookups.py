"""Batched reads for a page of search hits: their accounts and their open finding kinds in one request.

The API names each hit's account (search_api/directory.py). Read one hit at a time that is a
`get` and a findings search per account: about 40 round trips for a page of 20 hits, which cost
more than the search itself over a network. Here one `_msearch` holds an `ids` search of the
accounts and a terms aggregation of those subjects' open findings.

What it read is kept TTL seconds per account (a missing account too), like kept.py's other reads:
a page whose accounts were all read lately (the same search asked again, the next page, a
dashboard) costs no request, so a repeated /posts is one round trip to the cluster (the search)
instead of two, and two shard searches instead of four. Any write of accounts or findings in this
process forgets them all at once (ElasticsearchBackend._write), and a lookup that began before
such a write uses what it read but does not keep it, so a process reads its own writes; another process's writes show within TTL seconds (a search sees them within a second).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from core.models import Account, account_key
from index.elastic import docs as D
from index.elastic.facets import msearch
from index.elastic.kept import Kept
from index.elastic.parts import EsStore

Pair = tuple[str, str]
TTL = 10.0  # seconds an account and its open finding kinds are reused
_kept: Kept[tuple[str, str], tuple[Account | None, list[str]]] = Kept(TTL, 20_000)  # (index, key) → read


def forget_accounts() -> None:
    """Drop every kept account and open kinds (this process wrote accounts or findings)."""
    _kept.clear()  # also: a lookup begun before this is not kept (Kept.generation)


def accounts_and_kinds(backend: EsStore, pairs: Collection[Pair]
                       ) -> tuple[dict[Pair, Account], dict[str, list[str]]]:
    """The stored accounts among (platform, account_id) `pairs` (others left out) and the kinds of
    their open findings by subject key ("platform:account_id"), each kept TTL seconds."""
    keys = sorted({account_key(p, a) for p, a in pairs})
    index = backend.index("accounts")
    known = {key: read for (_, key), read in _kept.get_many((index, k) for k in keys).items()}
    todo = [k for k in keys if k not in known]
    if todo:
        began = _kept.generation
        read = _read(backend, todo)  # kept unless a write forgot the kept reads meanwhile (it may predate it)
        _kept.put_many({(index, k): v for k, v in read.items()}, since=began)
        known.update(read)
    accounts = {(a.platform, a.account_id): a for a, _ in known.values() if a is not None}
    return accounts, {key: kinds for key, (_, kinds) in known.items() if kinds}


def _read(backend: EsStore, keys: list[str]) -> dict[str, tuple[Account | None, list[str]]]:
    """(account or None, sorted open kinds) of each subject key, in one _msearch."""
    backend.fresh("accounts", "findings")
    accounts = {"size": len(keys), "query": {"ids": {"values": keys}}}  # an account's _id is its subject key
    findings: dict[str, Any] = {
        "size": 0, "query": {"bool": {"filter": [{"term": {"status": "open"}}, {"terms": {"subject_key": keys}}]}},
        "aggs": {"subjects": {"terms": {"field": "subject_key", "size": len(keys)},
                              "aggs": {"kinds": {"terms": {"field": "kind", "size": 100}}}}}}
    found, kinds = msearch(backend.client, [(backend.index("accounts"), accounts),
                                            (backend.index("findings"), findings)])
    stored = {hit["_id"]: D.account_from(hit["_source"]) for hit in found["hits"]["hits"]}
    open_kinds = {b["key"]: sorted(k["key"] for k in b["kinds"]["buckets"])
                  for b in kinds["aggregations"]["subjects"]["buckets"]}
    return {key: (stored.get(key), open_kinds.get(key, [])) for key in keys}
