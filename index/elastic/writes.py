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

from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch import TransportError

from core.errors import StoreError
from core.models import Link, Page, content_hash
from index.base import WriteResult
from index.elastic import docs as D
from index.elastic.parts import EsStore
from index.elastic.writer import RETRY_STATUSES, Outcome

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


def post_writes(backend: EsStore, name: str, items: Iterable[T], ident: Callable[[T], str],
                to_doc: Callable[[T], dict[str, Any]], failed: Failed | None = None) -> WriteResult:
    """Upsert posts or pages (`name`) in batches of 2000 or the writer's chunk; see the module docstring.

    A document the cluster refuses (a malformed one) does not stop the others: every batch is written,
    then a StoreError counts the refused ones and names the first (the caller's, when it passes `failed`)."""
    result, own = WriteResult(), failed is None
    failed = failed or Failed()
    it = iter(items)
    while batch := list(islice(it, max(2000, backend.writer.chunk))):
        docs = {}
        for item in batch:
            item.content_hash = item.content_hash or content_hash(item.title, item.text)  # type: ignore[attr-defined]
            try:  # a field the index lacks (`hit` on posts v3) is left out later (fitting.py)
                docs[ident(item)] = to_doc(item)
            except (TypeError, ValueError) as exc:  # text that cannot be JSON (a lone surrogate) for `hit`
                failed.outcomes.append(Outcome({"_id": ident(item)}, 400, "error", f"cannot be sent as JSON: {exc}"))
        failed.total += len(batch)
        creates = ({"_op_type": "create", "_index": backend.index(name), "_id": i, **doc} for i, doc in docs.items())
        outcomes = failed.seen(backend._write(name, creates, check=False))
        result += tally(outcomes)
        existing = [str(o.action["_id"]) for o in outcomes if o.status == 409]
        if existing:
            result += _rewrite(backend, name, {i: docs[i] for i in existing}, failed)
    if own:
        failed.check(backend.index(name))
    return result


class Failed:
    """Writes the cluster refused, gathered over a whole upsert, reported once it is done."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.total = 0  # documents of the upsert

    def seen(self, outcomes: list[Outcome]) -> list[Outcome]:
        self.outcomes += [o for o in outcomes if o.result == "error" and not D.exists(o.action, o.status)]
        return outcomes

    def check(self, index: str) -> None:
        if self.outcomes:
            first = self.outcomes[0]
            raise StoreError(f"{index}: {len(self.outcomes)} of {self.total} documents refused (every other one "
                             f"was written); first: {first.action.get('_id')}: {first.error}")


def _rewrite(backend: EsStore, name: str, docs: dict[str, dict[str, Any]], failed: Failed) -> WriteResult:
    """Compare documents that already exist with the stored ones; write only what changed."""
    # a post's partial update rebuilds `hit` from its stored shown fields; a page's needs three fields only
    posts = name == "posts"
    try:
        stored = backend.client.mget(index=backend.index(name), body={"ids": list(docs)},
                                     _source=None if posts else ["content_hash", "is_pinned", "comments"],
                                     _source_excludes=["html"] if posts else None)["docs"]
    except TransportError as exc:  # the client's ConnectionError is one too
        if not isinstance(exc, EsConnectionError) and exc.status_code not in RETRY_STATUSES:
            raise
        stored = []  # the cluster went away since the creates: each is written whole (spooled while away)
    result = WriteResult()
    actions = list(_changes(backend.index(name), docs, {d["_id"]: d.get("_source") for d in stored if d.get("found")}))
    result.unchanged = len(docs) - len(actions)
    result.updated = len(actions)
    if actions:
        failed.seen(backend._write(name, actions, check=False))
    return result


def _changes(index: str, docs: dict[str, dict[str, Any]], stored: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The writes that make the stored documents (`stored`, by id) what `docs` say; None stored = unknown."""
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
    """Pages with their links and mentions, 500 pages a batch; refused documents as in post_writes."""
    result, failed = WriteResult(), Failed()
    it = iter(pages)
    while batch := list(islice(it, batch_size)):
        result += _page_batch(backend, batch, failed)
    failed.check(backend.index("pages"))
    return result


def _page_batch(backend: EsStore, batch: list[Page], failed: Failed) -> WriteResult:
    links = [link_action(backend, p.url, link, False) for p in batch for link in p.links]
    mentions = [{
        "_op_type": "index", "_index": backend.index("mentions"),
        "_id": D.doc_id(m.platform, m.name, m.page_url or p.url),
        "platform": m.platform, "name": m.name, "page_url": m.page_url or p.url, "context": m.context,
    } for p in batch for m in p.mentions]
    failed.total += len(links) + len(mentions)
    failed.seen(backend._write("links", links, check=False))
    failed.seen(backend._write("mentions", mentions, check=False))
    return post_writes(backend, "pages", batch, lambda p: D.doc_id(p.url), D.page_doc, failed)


def link_action(backend: EsStore, page_url: str, link: Link, checked: bool) -> dict[str, Any]:
    """A link's upsert; `checked` records its status and when it was checked."""
    doc: dict[str, Any] = {"page_url": page_url, "url": link.url, "text": link.text}
    if link.status is not None or checked:
        doc["status"] = link.status
    if checked:
        doc["checked_at"] = D.dt_out(datetime.now())
    return {"_op_type": "update", "_index": backend.index("links"), "_id": D.doc_id(page_url, link.url),
            "doc": doc, "doc_as_upsert": True}
