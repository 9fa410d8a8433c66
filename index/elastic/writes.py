"""Post and page upserts (pages with their links and mentions) with the SQLite store's semantics, at bulk speed.

Every document is first sent as a `create`: a new one (the common case of a crawl or a bulk
load) costs exactly what a raw `_bulk` costs. Only those that already exist (409) are read
back and compared, as SqliteBackend does: same content hash and same pinned/comment state →
unchanged; same content but new pinned/comment state → a partial update; new content → the
whole document is replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from elasticsearch import TransportError

from core.models import Link, Page, content_hash
from index.base import WriteResult
from index.elastic import docs as D
from index.elastic.parts import EsStore
from index.elastic.writer import Outcome

T = TypeVar("T")
_COUNTED = {"created": "inserted", "updated": "updated", "noop": "unchanged"}


def tally(outcomes: Iterable[Outcome]) -> WriteResult:
    """WriteResult from bulk outcomes (a queued write counts as inserted: it will be applied)."""
    result = WriteResult()
    for o in outcomes:
        field = _COUNTED.get(o.result, "inserted" if o.result == "spooled" else "")
        if field:
            setattr(result, field, getattr(result, field) + 1)
    return result


def post_writes(backend: EsStore, name: str, items: Iterable[T],
                ident: Callable[[T], str], to_doc: Callable[[T], dict[str, Any]]) -> WriteResult:
    """Upsert posts or pages (`name`) in batches of 2000 or the writer's chunk; see the module docstring."""
    result = WriteResult()
    it = iter(items)
    while batch := list(islice(it, max(2000, backend.writer.chunk))):
        docs = {}
        unmapped = _unmapped(backend, name) if name == "posts" else set()  # pages have no `hit`
        for item in batch:
            item.content_hash = item.content_hash or content_hash(item.title, item.text)  # type: ignore[attr-defined]
            doc = to_doc(item)
            docs[ident(item)] = {k: v for k, v in doc.items() if k not in unmapped} if unmapped else doc
        creates = ({"_op_type": "create", "_index": backend.index(name), "_id": i, **doc} for i, doc in docs.items())
        outcomes = backend._write(name, creates)
        result += tally(outcomes)
        existing = [str(o.action["_id"]) for o in outcomes if o.status == 409]
        if existing:
            result += _rewrite(backend, name, {i: docs[i] for i in existing})
    return result


def _unmapped(backend: EsStore, name: str) -> set[str]:
    """Fields of a newer mapping that the index behind `name`'s alias lacks (its `dynamic: strict` mapping would
    refuse them): a post's `hit` while a store is still on posts v3, or during `index migrate posts` until
    the alias moves. One mapping read (cluster state, no shard search) a batch, not kept: a kept answer would
    leave `hit` out of posts written to v4 for as long after the switch; a read refused (privileges) sends
    every field."""
    try:
        found = backend.client.indices.get_mapping(index=backend.index(name))
    except TransportError:  # the client's ConnectionError is one too
        return set()
    mapped = [set(m["mappings"].get("properties", {})) for m in found.values()]
    return {"hit"} - set.intersection(*mapped) if mapped else set()


def _rewrite(backend: EsStore, name: str, docs: dict[str, dict[str, Any]]) -> WriteResult:
    """Compare documents that already exist with the stored ones; write only what changed."""
    # a post's partial update rebuilds `hit` from its stored shown fields; a page's needs three fields only
    posts = name == "posts"
    stored = backend.client.mget(index=backend.index(name), body={"ids": list(docs)},
                                 _source=None if posts else ["content_hash", "is_pinned", "comments"],
                                 _source_excludes=["html"] if posts else None)["docs"]
    result = WriteResult()
    actions = list(_changes(backend.index(name), docs, {d["_id"]: d.get("_source") for d in stored if d.get("found")}))
    result.unchanged = len(docs) - len(actions)
    result.updated = len(actions)
    if actions:
        backend._write(name, actions)
    return result


def _changes(index: str, docs: dict[str, dict[str, Any]], stored: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for i, doc in docs.items():
        old = stored.get(i)
        if old is None or old.get("content_hash") != doc["content_hash"]:
            yield {"_op_type": "index", "_index": index, "_id": i, **doc}
        elif (old.get("is_pinned"), old.get("comments")) != (doc.get("is_pinned"), doc.get("comments")):
            # An update rebuilds the document from its _source, which keeps neither the searched text nor a
            # post's shown fields' doc value (mappings): both are sent again, or the post would not be found;
            # `hit` from the stored fields and the changed ones (the other fields keep their stored values).
            partial: dict[str, Any] = {"is_pinned": doc["is_pinned"], "comments": doc["comments"],
                                       "fetched_at": doc["fetched_at"], "search": doc["search"]}
            if "hit" in doc:
                partial["hit"] = D.hit_value({**{k: v for k, v in old.items() if k not in D.NOT_SHOWN},
                                              **{k: v for k, v in partial.items() if k not in D.NOT_SHOWN}})
            yield {"_op_type": "update", "_index": index, "_id": i, "doc": partial}


def page_writes(backend: EsStore, pages: Iterable[Page], batch_size: int = 500) -> WriteResult:
    """Pages with their links and mentions, 500 pages a batch."""
    result = WriteResult()
    batch: list[Page] = []
    for page in pages:
        batch.append(page)
        if len(batch) >= batch_size:
            result += _page_batch(backend, batch)
            batch = []
    if batch:
        result += _page_batch(backend, batch)
    return result


def _page_batch(backend: EsStore, batch: list[Page]) -> WriteResult:
    links = [(p.url, link) for p in batch for link in p.links]
    backend._write("links", (link_action(backend, url, link, False) for url, link in links))
    backend._write("mentions", ({
        "_op_type": "index", "_index": backend.index("mentions"),
        "_id": D.doc_id(m.platform, m.name, m.page_url or p.url),
        "platform": m.platform, "name": m.name, "page_url": m.page_url or p.url, "context": m.context,
    } for p in batch for m in p.mentions))
    return post_writes(backend, "pages", batch, lambda p: D.doc_id(p.url), D.page_doc)


def link_action(backend: EsStore, page_url: str, link: Link, checked: bool) -> dict[str, Any]:
    """A link's upsert; `checked` records its status and when it was checked."""
    doc: dict[str, Any] = {"page_url": page_url, "url": link.url, "text": link.text}
    if link.status is not None or checked:
        doc["status"] = link.status
    if checked:
        doc["checked_at"] = D.dt_out(datetime.now())
    return {"_op_type": "update", "_index": backend.index("links"), "_id": D.doc_id(page_url, link.url),
            "doc": doc, "doc_as_upsert": True}
