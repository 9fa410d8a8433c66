"""A stamp of some of a store's indices: a value that changes whenever one of them changes.

The API keeps values built from the store (search_api/cache.py: the registry index and the account
names that every /posts hit is described with) and rebuilt them every 120 s in each worker: on the
bench store (88,582 registry entries, 100,000 accounts) a rebuild cost ~8.5 s of the worker's CPU
and ~5.8 s of the node's, whether anything had changed or not. With a stamp the rebuild happens
only when the stamp moved.

The stamp is, for each index behind the names' aliases, its name and uuid and every primary shard's
highest sequence number (an index, update or delete of any document raises it), from one index
stats request. It is read before the indices are refreshed, so the rebuild that follows sees every
write the stamp covers; a write after it raises the next stamp. A re-pointed alias (migrate) or an
index made again shows as another name or uuid.

`node_starts` stamps the cluster's nodes instead: each node's id and its JVM's start time, so a node
restarted (an upgrade, a crash) shows a start time not seen before (search_api/node_restarts.py warms
it up again). One small node-info request, filtered down to those numbers.
"""

from __future__ import annotations

from typing import Any

from index.elastic.parts import EsStore


def stamp(backend: EsStore, *names: str) -> tuple[Any, ...]:
    """The stamp of the indices of `names` (accounts, registry, …), their writes so far then visible."""
    aliases = ",".join(backend.index(n) for n in names)
    stats = backend.client.indices.stats(index=aliases, metric="docs", level="shards")
    found = []
    for index, data in sorted(stats["indices"].items()):
        for shard, copies in sorted(data.get("shards", {}).items()):
            found += [(index, data.get("uuid"), shard, c["seq_no"]["max_seq_no"])
                      for c in copies if c["routing"]["primary"]]
    backend.client.indices.refresh(index=aliases, ignore_unavailable=True)
    return tuple(found)


def node_starts(backend: EsStore) -> frozenset[tuple[str, int]]:
    """(node id, JVM start time in ms) of every node of the cluster: a restarted node has a new start time."""
    found = backend.client.nodes.info(metric="jvm", filter_path="nodes.*.jvm.start_time_in_millis")
    return frozenset((node, int(info["jvm"]["start_time_in_millis"])) for node, info in found.get("nodes", {}).items())


def searchable(backend: EsStore, wait: str = "120s") -> None:
    """Wait (at most `wait`) until every index has its primary shards started: a restarted node answers HTTP
    before that, and searches then fail. A cluster still red after `wait` is left to the searches to report."""
    backend.client.cluster.health(wait_for_status="yellow", timeout=wait, ignore=408)  # 408: still red
