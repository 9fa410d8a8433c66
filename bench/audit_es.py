"""bench/audit.py's Elasticsearch parts: the parallel raw load of the posts, and the node's CPU and heap.

The posts go in as raw `_bulk` lines (index.elastic.bulkload.send_lines: prebuilt NDJSON, ~8 MB
bodies, sent by a thread while the next one is built) from --load-workers processes, each writing
the posts of every N-th account, while the parent writes the registry and accounts, all under the
indices' load settings (store.bulk_load). Without --full-text the searched field is left out, as
SQLite's bench leaves its full-text index empty: the audit reads no text.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import datetime
from itertools import islice
from typing import Any

# Printed with the load figures when the posts' `search` field was left out: that field is about two
# thirds of the node's indexing work, so such a load is not comparable with one that indexed it.
TEXT_LEFT_OUT = "(searched text not indexed; --full-text for a searchable store)"


def load_note(args: argparse.Namespace) -> str:
    """The note (with a leading space) for an Elasticsearch load without --full-text, else the empty string."""
    return f" {TEXT_LEFT_OUT}" if args.backend == "elasticsearch" and not args.full_text else ""


def fill(store: Any, args: argparse.Namespace, now: datetime, script: list[str]) -> None:
    """Registry and accounts through the store, the posts by the loaders; then the settings come back
    and the indices are refreshed once."""
    from sampleweb.bulk import fill_store

    with store.bulk_load("registry", "accounts", "posts"):
        loaders = _start_loaders(args, script)
        try:
            fill_store(store, accounts=args.accounts, posts=args.posts, seed=args.seed, now=now, with_posts=False)
        except BaseException:
            for child in loaders:
                child.kill()
            raise
        failed = [child.args for child in loaders if child.wait() != 0]
        if failed:
            sys.exit(f"post loaders failed: {failed}")
    store.close()


def _start_loaders(args: argparse.Namespace, script: list[str]) -> list[subprocess.Popen[bytes]]:
    """--load-workers processes at once: while one builds its next body in Python, the node indexes another's."""
    parts = max(1, args.load_workers)
    cmd = [*script, "--db", str(args.db), "--accounts", str(args.accounts), "--posts", str(args.posts),
           "--seed", str(args.seed), "--backend", args.backend, "--load-workers", str(parts)]
    cmd += ["--full-text"] if args.full_text else []
    return [subprocess.Popen([*cmd, "--generate-part", str(part)]) for part in range(parts)]


def fill_part(store: Any, args: argparse.Namespace, now: datetime) -> None:
    """One loader: the posts of accounts i ≡ part (mod --load-workers), progress with CPU on stdout."""
    from index.elastic.bulkload import post_line, send_lines
    from sampleweb.bulk import BulkWorld

    world, part, parts = BulkWorld(args.seed, args.accounts, args.posts, now), args.generate_part, args.load_workers
    started, cpu0, done = time.monotonic(), _cpu_seconds(), 0
    posts = world.posts(part, parts)
    while batch := list(islice(posts, 250_000)):
        lines = (post_line(p, full_text=args.full_text) for p in batch)
        done += send_lines(store.client, store.index("posts"), lines, shard_wait=store.writer.shard_wait)
        wall = time.monotonic() - started
        print(f"loader {part}/{parts}: {done:,} posts in {wall:.0f} s ({done / wall:,.0f}/s, CPU "
              f"{_cpu_seconds() - cpu0:.0f} s, load {os.getloadavg()[0]:.1f}) at {datetime.now():%H:%M:%S}"
              f"{load_note(args)}",
              flush=True)
    store.writer.spool.close()
    store.client.close()  # no refresh here: the parent's bulk_load refreshes once at the end


def node_cpu_seconds(backend: str) -> float:
    """CPU seconds the Elasticsearch node(s) at GOVWATCH_ES_URL have used (0 for SQLite)."""
    if backend != "elasticsearch":
        return 0.0
    stats = _node_stats("process", "nodes.*.process.cpu.total_in_millis")
    return sum(n["process"]["cpu"]["total_in_millis"] for n in stats) / 1000


def node_heap() -> str:
    """The node's heap: its size and the peak use of its pools since it started (the JVM's own peaks)."""
    mib = 1024**2
    return "; ".join(
        f"heap {mem['heap_max_in_bytes'] / mib:,.0f} MiB, {mem['heap_used_in_bytes'] / mib:,.0f} MiB used now, "
        "pool peaks " + ", ".join(f"{name} {pool['peak_used_in_bytes'] / mib:,.0f}" for name, pool in mem["pools"].items())
        + " MiB" for mem in (n["jvm"]["mem"] for n in _node_stats("jvm", "nodes.*.jvm.mem")))


def _node_stats(metric: str, path: str) -> list[dict[str, Any]]:
    from elasticsearch import Elasticsearch

    with Elasticsearch(os.environ["GOVWATCH_ES_URL"]) as client:
        return list(client.nodes.stats(metric=metric, filter_path=path)["nodes"].values())


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
