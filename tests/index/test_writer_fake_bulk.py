"""BulkWriter against a fake `client.bulk` and a clock of the test's: no node needed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch import Elasticsearch

from index.elastic import ElasticsearchBackend, EsConfig
from index.elastic.spool import Spool
from index.elastic.writer import BulkWriter

NOWHERE = "http://127.0.0.1:9"  # nothing listens: the mapping read fails at once, every field is sent


class FakeBulk:
    """A cluster's bulk API: refuses connections while `up` is false; keeps each document's last version;
    answers 503 for the items of `red` indices; notes each request's shard wait (`timeout`)."""

    def __init__(self) -> None:
        self.up, self.red, self.waits = True, set[str](), list[Any]()
        self.docs: dict[tuple[str, str], dict[str, Any]] = {}

    def __call__(self, body: str, **kw: Any) -> dict[str, Any]:
        if not self.up:
            raise EsConnectionError("N/A", "connection refused", None)
        self.waits.append(kw.get("timeout"))
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        items = []
        for meta, source in zip(lines[::2], lines[1::2], strict=True):
            [(op, m)] = meta.items()
            if m["_index"] in self.red:
                items.append({op: {"_index": m["_index"], "_id": m["_id"], "status": 503,
                                   "error": {"type": "unavailable_shards_exception"}}})
                continue
            self.docs[(m["_index"], m["_id"])] = source
            items.append({op: {"_index": m["_index"], "_id": m["_id"], "status": 200, "result": "updated"}})
        return {"errors": any(next(iter(i.values()))["status"] != 200 for i in items), "items": items}


def test_a_write_spanning_the_end_of_the_clusters_pause_never_replays_an_older_version_over_a_newer(
        tmp_path: Path) -> None:
    """The first version of D is queued because the cluster still rests; the pause ends during the same write:
    the second version must queue behind the first, not go live and be overwritten by the replay."""
    client, bulk, now = Elasticsearch(NOWHERE, max_retries=0), FakeBulk(), [0.0]
    client.bulk = bulk  # type: ignore[method-assign]
    writer = BulkWriter(client, Spool(str(tmp_path / "spool.db")), attempts=1, backoff=0.0, chunk=1,
                        offline_pause=5.0, clock=lambda: now[0], shard_wait=EsConfig(NOWHERE).shard_wait)
    bulk.up = False
    assert [o.result for o in writer.write([{"_op_type": "index", "_index": "x", "_id": "1", "v": 0}])] == ["spooled"]
    bulk.up, now[0] = True, 3.0  # back, but the writer's pause runs until 5.0

    def actions() -> Any:
        yield {"_op_type": "index", "_index": "y", "_id": "D", "v": 1}
        now[0] = 6.0  # the pause ends between two chunks of the write
        yield {"_op_type": "index", "_index": "y", "_id": "D", "v": 2}

    list(writer.write(actions()))
    assert writer.flush() == 0
    assert bulk.docs[("y", "D")] == {"v": 2}


def test_every_bulk_request_waits_for_a_shard_less_long_than_the_client_waits_for_its_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A red index's items must answer 503 before the client's timeout (else the whole cluster is taken for
    away): the first request waits the config's shard wait, its retries the short probe wait."""
    config = EsConfig(url=NOWHERE, spool=str(tmp_path / "spool.db"))
    assert config.shard_wait == "20000ms" and 20 < config.timeout
    store = ElasticsearchBackend(config)
    bulk = FakeBulk()
    monkeypatch.setattr(store.client, "bulk", bulk)
    store.writer.backoff = 0.0
    bulk.red.add(store.index("posts"))
    list(store.writer.write([{"_op_type": "index", "_index": store.index("posts"), "_id": "a", "v": 1}]))
    assert bulk.waits == ["20000ms", "5s", "5s", "5s"]  # the writer's 4 attempts
    sent = len(bulk.waits)
    list(store.writer.write([{"_op_type": "index", "_index": store.index("posts"), "_id": "c", "v": 1}]))
    assert len(bulk.waits) == sent  # the red index rests: its next write waits in the spool, unsent
    list(store.writer.write([{"_op_type": "index", "_index": store.index("accounts"), "_id": "b", "v": 1}]))
    assert bulk.docs == {(store.index("accounts"), "b"): {"v": 1}}  # the index waits, not the cluster
    store.writer.spool.close()
