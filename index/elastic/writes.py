"""Post and page upserts with the SQLite store's semantics, at bulk speed.

Every document is first sent as a `create`: a new one (the common case of a crawl or a bulk
load) costs exactly what a raw `_bulk` costs. Only those that already exist (409) are read
back and compared, as SqliteBackend does: same content hash and same pinned/comment state →
unchanged; same content but new pinned/comment state → a partial update; new content → the
whole document is replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from core.models import content_hash
from index.base import WriteResult
from index.elastic.writer import Outcome

if TYPE_CHECKING:
    from index.elastic.backend import ElasticsearchBackend

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


def post_writes(backend: ElasticsearchBackend, name: str, items: Iterable[T],
                ident: Callable[[T], str], to_doc: Callable[[T], dict[str, Any]]) -> WriteResult:
    """Upsert posts or pages (`name`) in batches of 2000 or the writer's chunk; see the module docstring."""
    result = WriteResult()
    it = iter(items)
    while batch := list(islice(it, max(2000, backend.writer.chunk))):
        docs = {}
        for item in batch:
            item.content_hash = item.content_hash or content_hash(item.title, item.text)  # type: ignore[attr-defined]
            docs[ident(item)] = to_doc(item)
        creates = ({"_op_type": "create", "_index": backend.index(name), "_id": i, **doc} for i, doc in docs.items())
        outcomes = backend._write(name, creates)
        result += tally(outcomes)
        existing = [str(o.action["_id"]) for o in outcomes if o.status == 409]
        if existing:
            result += _rewrite(backend, name, {i: docs[i] for i in existing})
    return result


def _rewrite(backend: ElasticsearchBackend, name: str, docs: dict[str, dict[str, Any]]) -> WriteResult:
    """Compare documents that already exist with the stored ones; write only what changed."""
    stored = backend.client.mget(index=backend.index(name), body={"ids": list(docs)},
                                 _source=["content_hash", "is_pinned", "comments"])["docs"]
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
            partial = {"is_pinned": doc["is_pinned"], "comments": doc["comments"], "fetched_at": doc["fetched_at"]}
            yield {"_op_type": "update", "_index": index, "_id": i, "doc": partial}
