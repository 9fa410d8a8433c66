"""Index settings for a large load (a bench store, `index copy`), restored when it is done.

During a load nobody needs to search the new documents each second, nor an fsync per request:
- `refresh_interval: -1`: no new searchable segment every second (each one is merged later);
- `translog.durability: async`: the translog is fsynced every 5 s instead of per bulk request
  (a crash loses at most those seconds of the load, which is then run again);
- `number_of_replicas: 0`: no copy to write while loading;
- bigger bulk requests (BulkWriter.chunk), fewer round trips.
Afterwards the previous settings come back (null = the index default) and the indices are
refreshed, so what was loaded is searchable.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from core.errors import StoreError
from core.models import Post, content_hash
from index.elastic import docs as D
from index.elastic.parts import EsStore

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

LOAD_SETTINGS = {"refresh_interval": "-1", "translog.durability": "async", "number_of_replicas": 0}
LOAD_CHUNK = 2000  # actions per bulk request while loading (about 1 MB of posts)


@contextmanager
def bulk_load(backend: EsStore, names: tuple[str, ...]) -> Iterator[None]:
    """Load settings on the indices `names` for the `with` block, the previous ones restored after."""
    indices = ",".join(backend.index(n) for n in names)
    found = backend.client.indices.get_settings(index=indices, name=[f"index.{k}" for k in LOAD_SETTINGS],
                                                flat_settings=True)
    before: dict[str, dict[str, Any]] = {
        index: {k: body["settings"].get(f"index.{k}") for k in LOAD_SETTINGS} for index, body in found.items()}
    chunk = backend.writer.chunk
    backend.client.indices.put_settings(index=indices, body={"index": LOAD_SETTINGS})
    backend.writer.chunk = max(chunk, LOAD_CHUNK)
    try:
        yield
    finally:
        backend.writer.chunk = chunk
        for index, settings in before.items():
            backend.client.indices.put_settings(index=index, body={"index": settings})
        backend.client.indices.refresh(index=indices)


# The raw load path: bench stores and first loads into an empty index only ------------------------
# Each post becomes its NDJSON `create` line here, once, and the lines go to `_bulk` as one body of
# about LOAD_BYTES: no per-document dict for streaming_bulk, no re-serialising by the client, no
# reading back of existing documents. A sending thread posts one body while the caller builds the
# next (the HTTP wait releases the GIL). It is NOT the write path of crawls and imports: there is
# no spool and no upsert. Any rejected document (a 409 when the post already exists included)
# stops the load with an error, so a load is never silently partial.
# Like every other bulk write (writer.py), each request waits `shard_wait` at most for an unavailable
# shard: ES's default, a minute, is longer than the client's read timeout.

LOAD_BYTES = 8 * 1024 * 1024
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def post_line(post: Post, *, full_text: bool = True) -> str:
    """The `create` action and document of `post`, exactly as upsert_posts would store a new one.

    full_text=False leaves out the searched field (`search`, never in _source) and `hit`: the document is
    then found by filters and aggregations but not by text queries, and costs the node about a
    third of the indexing work (bench/audit.py: the audit reads no text, as with SQLite's bench)."""
    post.content_hash = post.content_hash or content_hash(post.title, post.text)
    doc = D.post_doc(post, full_text=full_text)  # nor is the page of hits' doc value (mappings.HIT) of use then
    return f'{{"create":{{"_id":{_encode(D.post_id(post.platform, post.post_id))}}}}}\n{_encode(doc)}\n'


def send_lines(client: Elasticsearch, index: str, lines: Iterable[str], max_bytes: int = LOAD_BYTES, *,
               shard_wait: str) -> int:
    """Send NDJSON action lines to `index` in bodies of about `max_bytes`; returns the documents created.
    `shard_wait`: the store's (store.writer.shard_wait, from EsConfig.shard_wait).

    Raises StoreError naming the first rejected document, or what stopped the sending thread."""
    bodies: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
    sent: list[int] = []
    failure: list[BaseException] = []
    sender = threading.Thread(target=_sender, args=(client, index, shard_wait, bodies, sent, failure),
                              daemon=True)
    sender.start()
    try:
        for body in _bodies(lines, max_bytes):
            if not _hand_over(bodies, body, sender):
                break
    finally:
        _hand_over(bodies, None, sender)
        sender.join()
    if failure:
        raise failure[0]
    return sum(sent)


def _hand_over(bodies: queue.Queue[bytes | None], body: bytes | None, sender: threading.Thread) -> bool:
    """Queue `body` for the sender; False when the sender has stopped (after a failure)."""
    while sender.is_alive():
        try:
            bodies.put(body, timeout=1)
            return True
        except queue.Full:
            continue
    return False


def _bodies(lines: Iterable[str], max_bytes: int) -> Iterator[bytes]:
    part: list[str] = []
    size = 0
    for line in lines:
        part.append(line)
        size += len(line) * 2  # characters, most CJK (3 bytes in UTF-8), some ASCII: a cheap estimate
        if size >= max_bytes:
            yield "".join(part).encode()
            part, size = [], 0
    if part:
        yield "".join(part).encode()


def _sender(client: Elasticsearch, index: str, shard_wait: str, bodies: queue.Queue[bytes | None], sent: list[int],
            failure: list[BaseException]) -> None:
    """The sending thread: any failure is recorded for send_lines to raise, so a load is never silently partial."""
    try:
        _send_bodies(client, index, shard_wait, bodies, sent, failure)
    except BaseException as exc:  # noqa: BLE001 - raised by send_lines in the caller's thread
        error = StoreError(f"{index}: bulk load stopped after {sum(sent):,} documents: {exc!r}")
        error.__cause__ = exc
        failure.append(error)


def _send_bodies(client: Elasticsearch, index: str, shard_wait: str, bodies: queue.Queue[bytes | None],
                 sent: list[int], failure: list[BaseException]) -> None:
    while (body := bodies.get()) is not None:
        try:
            answer = client.bulk(body=body, index=index, filter_path="errors,items.*.error", timeout=shard_wait)
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread and raised there
            failure.append(exc)
            return
        if answer.get("errors"):  # only the rejected items come back (filter_path)
            items = answer.get("items", [])
            error = next((info["error"] for item in items for info in item.values()), "(no error item in the answer)")
            failure.append(StoreError(f"{index}: bulk load rejected {len(items)} documents; first: {error}"))
            return
        sent.append(body.count(b"\n") // 2)  # an action line and a document line each
