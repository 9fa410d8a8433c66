"""Elasticsearch side of bench/search.py: the same API, query mix and clients over a cluster-held store.

    url=$(ES_NODE_JAVA_OPTS= scripts/es-node.sh start | tail -1)
    GOVWATCH_ES_URL=$url .venv/bin/python bench/search.py --backend elasticsearch --posts 1000000

The store (prefix `benchsearch<posts>`) is filled once through ElasticsearchBackend (registry,
accounts, posts from sampleweb.bulk, under store.bulk_load) and reused while it holds --posts
posts; `bench/audit.py --backend elasticsearch --db benchsearch1000000 --accounts 100000 --posts
1000000` fills the same store, so one load serves both benches. Rare words are
two-character words of the vocabulary's tail found in 3 to 300 posts.

The bench turns the shard request cache off on its posts index: the mix repeats a few dozen
queries, and Elasticsearch would otherwise answer any size-0 search from that cache (a deployment
keeps it on; every refresh that brings changes empties it). The backend's tally and per-platform
count searches ask for it themselves (index/elastic/facets.counting): match counts are kept while
the store is unchanged, as bench/search.py's docstring allows and the SQLite store does; nothing
else is. NodeCpu prints the node's CPU time per
request over the measured run (`_nodes/stats`), which the machine's load does not inflate.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from elasticsearch import Elasticsearch

from bench import node_threads
from bench.search_fresh import Mix
from bench.search_store import NOW
from index.elastic import ElasticsearchBackend, EsConfig
from index.elastic.indices import drop_all
from index.query import parse
from sampleweb import vocab
from sampleweb.bulk import BulkWorld


def prefix_for(posts: int) -> str:
    return f"benchsearch{posts}"


def build_es_store(url: str, posts: int, accounts: int, seed: int, spool: Path) -> ElasticsearchBackend:
    """A store holding a BulkWorld of `posts` posts at `url`, filled unless it already holds them."""
    store = ElasticsearchBackend(EsConfig(url=url, prefix=prefix_for(posts), spool=str(spool), timeout=300))
    store.setup()
    if store.counts()["posts"] >= posts:  # BulkWorld rounds per account: a few more than asked
        searched = {"exists": {"field": "search"}}  # indexed, never in _source
        if not store.client.count(index=store.index("posts"), body={"query": searched})["count"]:
            sys.exit(f"{store.prefix}: its posts were loaded without their searched text (bench/audit.py without "
                     "--full-text); load it with --full-text or drop it")
        print(f"reusing {url} {store.prefix}")
        _no_request_cache(store)
        return store
    drop_all(store.client, store.prefix)
    store.setup()
    started = time.perf_counter()
    world = BulkWorld(seed, accounts, posts, NOW)
    with store.bulk_load("registry", "accounts", "posts"):  # no refresh, async translog (bulkload.py)
        store.upsert_registry(world.registry())
        store.upsert_accounts(world.accounts())
        result = store.upsert_posts(world.posts())
    store.client.indices.forcemerge(index=store.index("posts"), max_num_segments=1, request_timeout=3600)
    print(f"filled {store.prefix}: {result.inserted:,} posts in {time.perf_counter() - started:.0f} s")
    _no_request_cache(store)
    return store


def _no_request_cache(store: ElasticsearchBackend) -> None:
    store.client.indices.put_settings(index=store.index("posts"), body={"index.requests.cache.enable": False})


class NodeCpu:
    """The cluster's CPU time and search count from now until report()."""

    def __init__(self, url: str):
        self.client = Elasticsearch(url, timeout=60)
        self.pid = _local_pid(self.client, url)
        self.threads = node_threads.snapshot(self.pid)
        self.faults = node_threads.major_faults(self.pid)
        self.start = self.sample()

    def sample(self) -> tuple[int, int, int]:
        """(CPU ms, shard searches, heap bytes) of the cluster's nodes now."""
        time.sleep(1.1)  # the node refreshes its process figures once a second (monitor.process.refresh_interval)
        nodes = self.client.nodes.stats(metric="process,jvm,indices")["nodes"].values()
        return (sum(n["process"]["cpu"]["total_in_millis"] for n in nodes),
                sum(n["indices"]["search"]["query_total"] for n in nodes),
                sum(n["jvm"]["mem"]["heap_max_in_bytes"] for n in nodes))

    def report(self, requests: int) -> None:
        cpu, searches, heap = self.sample()
        cpu -= self.start[0]
        searches -= self.start[1]
        print(f"node: {cpu / 1000:.1f} s CPU for {requests} requests ({cpu / max(requests, 1):.1f} ms each; "
              f"{searches} shard searches), heap {heap / 2**30:.1f} GiB")
        if split := node_threads.since(self.threads, node_threads.snapshot(self.pid), requests):
            print(f"node threads: {split}; {self._faults()}")
        self.client.close()

    def _faults(self) -> str:
        now = node_threads.major_faults(self.pid)
        return f"{now - self.faults} major page faults" if now is not None and self.faults is not None else ""

    def spent(self, what: str) -> None:
        """Print the node's CPU seconds (and their split by thread group) since this probe began."""
        cpu = (self.sample()[0] - self.start[0]) / 1000
        split = node_threads.since(self.threads, node_threads.snapshot(self.pid), 1000).replace(" ms a request", "")
        print(f"node during {what}: {cpu:.1f} s CPU" + (f" (s: {split}; {self._faults()})" if split else ""))
        self.client.close()


def _local_pid(client: Elasticsearch, url: str) -> int | None:
    """The process id of a node on this machine (its threads' CPU can then be split), else None."""
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    nodes = list(client.nodes.info(metric="process")["nodes"].values())
    return int(nodes[0]["process"]["id"]) if len(nodes) == 1 else None


def wait_warm_searches(started: float, seconds: float | None) -> None:
    """Until the API's start-up searches have lasted their time since `started` (monotonic), by the clock:
    --warm-searches `seconds`, else the API's default."""
    from core.config import ApiSettings

    last = float(seconds if seconds is not None else ApiSettings().warm_searches_seconds)
    time.sleep(max(0.0, started + last - time.monotonic()))


def es_rare_words(store: ElasticsearchBackend, n: int) -> list[str]:
    """`n` two-character words of the vocabulary's tail that are in 3 to 300 posts of the store."""
    found = []
    for word in vocab.words()[15_000:]:
        if len(word) != 2:
            continue
        hits = store.client.count(index=store.index("posts"), body={"query": _phrase(word)})["count"]
        if 3 <= hits <= 300:
            found.append(word)
            if len(found) == n:
                break
    return found


def _phrase(word: str) -> dict:
    term = parse(word).positive_terms()[0]
    return {"match_phrase": {"search": term.text}}


def api_config(url: str, posts: int, spool: Path) -> str:
    """The [store] lines of the API's settings file for this store."""
    return (f'[store]\nbackend = "elasticsearch"\nes_url = "{url}"\nes_prefix = "{prefix_for(posts)}"\n'
            f'es_spool = "{spool}"\n')


def node_cpu_per_class(url: str, posts: int, mix: Mix, repeats: int) -> None:
    """One client in process: each class's /posts queries through ElasticsearchBackend.search_posts (with the
    platform counts, as the API asks), `repeats` times in turn; the node's CPU ms per search and the wall p50."""
    from urllib.parse import parse_qsl

    from index.base import FACETS, PostQuery

    store = ElasticsearchBackend(EsConfig(url=url, prefix=prefix_for(posts), spool=":memory:", timeout=300),
                                 read_only=True)
    probe = NodeCpu(url)
    print(f"{'class':<10} {'node cpu ms':>11} {'wall p50':>9}   (one client, {repeats} rounds, node CPU per search)")
    for cls, paths in mix.items():
        queries = [PostQuery(**dict(parse_qsl(p.split("?", 1)[1])), facets=FACETS)  # type: ignore[arg-type]
                   for p in paths if isinstance(p, str) and p.startswith("/posts?")]
        for q in queries:  # warm: term statistics, the JIT
            store.search_posts(q)
        before, walls = probe.sample()[0], []
        for _ in range(repeats):
            for q in queries:
                started = time.perf_counter()
                store.search_posts(q)
                walls.append((time.perf_counter() - started) * 1000)
        cpu = (probe.sample()[0] - before) / max(len(walls), 1)
        print(f"{cls:<10} {cpu:>11.1f} {sorted(walls)[len(walls) // 2]:>9.1f}")
    store.close()
