"""The last step of `index migrate`: what was written to the old index while the reindex copied it.

The reindex copies a snapshot taken when it starts; writes go on to the old index until the alias
is switched. Every document of the old index whose sequence number is above the old index's highest
one before the reindex began was created or changed since. Each is copied to the new index unless
the new index holds a write made after the switch (a sequence number above the copy's last one),
which is newer. The copy is conditional (`create`, or `index` with if_seq_no): a write that lands
between this check and the copy wins. Every index here has one primary shard (mappings._settings),
so one sequence of numbers per index.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk

from index.elastic import docs as D

PAGE = 1000
_BY_SEQ_NO: Any = [{"_seq_no": "asc"}]  # the client's stubs type `sort` as a list of strings


def max_seq_no(client: Elasticsearch, index: str) -> int:
    """The highest sequence number of the primary shard of `index` (-1 when nothing was ever written)."""
    stats = client.indices.stats(index=index, level="shards", metric="docs")
    shards = stats["indices"][index]["shards"]
    if len(shards) != 1:
        raise ValueError(f"{index}: {len(shards)} shards; migrate's catch-up needs one (mappings._settings)")
    return max(int(copy["seq_no"]["max_seq_no"]) for copy in shards["0"] if copy["routing"]["primary"])


def catch_up(client: Elasticsearch, old: str, new: str, old_from: int, new_from: int) -> int:
    """Copy what was written to `old` after its sequence number `old_from`, unless `new` holds a write after
    its sequence number `new_from`; returns how many documents were copied."""
    client.indices.refresh(index=old)
    properties = client.indices.get_mapping(index=new)[new]["mappings"].get("properties", {})
    copied = 0
    for page in _changed(client, old, old_from):
        found = client.mget(index=new, body={"ids": [h["_id"] for h in page]}, _source=False)["docs"]
        in_new = {d["_id"]: d for d in found if d.get("found")}
        actions = []
        for hit in page:
            doc = _rebuilt(hit["_source"], properties)
            there = in_new.get(hit["_id"])
            if there is None:
                actions.append({"_op_type": "create", "_index": new, "_id": hit["_id"], **doc})
            elif there["_seq_no"] <= new_from:  # as the reindex copied it: older than this change
                actions.append({"_op_type": "index", "_index": new, "_id": hit["_id"], "if_seq_no": there["_seq_no"],
                                "if_primary_term": there["_primary_term"], **doc})
        for ok, item in streaming_bulk(client, actions, raise_on_error=False, max_retries=3):
            info = next(iter(item.values()))
            if ok:
                copied += 1
            elif info.get("status") != 409:  # 409: written to the new index meanwhile, which is newer
                raise RuntimeError(f"{new}: catch-up copy of {info.get('_id')} refused: {info.get('error')}")
    return copied


def _changed(client: Elasticsearch, index: str, after: int) -> Iterator[list[dict[str, Any]]]:
    """Pages of the documents of `index` whose sequence number is above `after`, in _seq_no order."""
    search_after: list[Any] | None = None
    while True:
        extra: dict[str, Any] = {"search_after": search_after} if search_after else {}
        hits = client.search(index=index, query={"range": {"_seq_no": {"gt": after}}}, size=PAGE,
                             sort=_BY_SEQ_NO, **extra)["hits"]["hits"]
        if hits:
            yield hits
        if len(hits) < PAGE:
            return
        search_after = hits[-1]["sort"]


def _rebuilt(source: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """The document from its _source, with the fields kept out of it (indices._REBUILD_SEARCH, _REBUILD_HIT)."""
    doc = dict(source)
    if "search" in properties:
        doc["search"] = D.search_text(doc.get("title") or "", doc.get("text") or "")
    if "hit" in properties:
        doc["hit"] = D.hit_value({k: v for k, v in doc.items() if k not in D.NOT_SHOWN})
    return doc
