"""Elasticsearch side of bench/index.py: ElasticsearchBackend.upsert_posts vs a raw `_bulk` of the same documents.

    url=$(ES_NODE_JAVA_OPTS= scripts/es-node.sh start | tail -1)     # C2 JIT for throughput figures
    .venv/bin/python bench/index_es.py --url $url --posts 100000

Both sides write into a fresh set of indices with the same mappings (setup() of a fresh prefix),
under the same load settings (store.bulk_load: no refresh, async translog, 2,000 actions a
request), and both clocks include restoring them and the final refresh.
The raw side sends pre-serialised NDJSON bodies (`index` actions, the documents the backend would
build, computed outside the clock) with client.bulk in chunks of the backend's size; the backend
side is upsert_posts from Post objects (document building, create-first bulk, outcome checks,
the spool check). The best of --repeat runs counts (the machine is shared). Target: ratio ≥ 0.8.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from datetime import datetime
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ratio import print_ratio  # noqa: E402
from core.models import Post, content_hash  # noqa: E402
from index.elastic import ElasticsearchBackend, EsConfig  # noqa: E402
from index.elastic import docs as D  # noqa: E402
from index.elastic.bulkload import LOAD_CHUNK  # noqa: E402
from index.elastic.indices import drop_all  # noqa: E402
from sampleweb.bulk import BulkWorld  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0)
TARGET = 0.8
CHUNK = LOAD_CHUNK  # BulkWriter's chunk size under bulk_load


def fresh(url: str, folder: Path) -> ElasticsearchBackend:
    store = ElasticsearchBackend(EsConfig(url=url, prefix=f"bench{uuid.uuid4().hex[:10]}",
                                          spool=str(folder / "spool.db"), timeout=120))
    store.setup()
    return store


def backend_run(posts: list[Post], url: str, folder: Path) -> float:
    store = fresh(url, folder)
    started = time.perf_counter()
    with store.bulk_load("posts"):
        result = store.upsert_posts(posts)
    seconds = time.perf_counter() - started
    assert result.inserted == len(posts), result
    drop_all(store.client, store.prefix)
    store.close()
    return seconds


def raw_run(posts: list[Post], url: str, folder: Path) -> float:
    store = fresh(url, folder)
    index = store.index("posts")
    bodies = []
    for at in range(0, len(posts), CHUNK):
        lines = []
        for p in posts[at:at + CHUNK]:
            p.content_hash = p.content_hash or content_hash(p.title, p.text)
            lines.append(json.dumps({"index": {"_index": index, "_id": D.post_id(p.platform, p.post_id)}}))
            lines.append(json.dumps(D.post_doc(p), ensure_ascii=False))
        bodies.append(("\n".join(lines) + "\n").encode())
    started = time.perf_counter()
    with store.bulk_load("posts"):
        for body in bodies:
            answer = store.client.bulk(body=body, request_timeout=120)
            assert not answer["errors"]
    seconds = time.perf_counter() - started
    drop_all(store.client, store.prefix)
    store.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the cluster (scripts/es-node.sh start prints one)")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    raws, ours = [], []
    for _ in range(args.repeat):  # alternate, so both sides see the same machine load
        with tempfile.TemporaryDirectory() as folder:
            posts = list(islice(BulkWorld(args.seed, max(1, args.posts // 50), args.posts, NOW).posts(), args.posts))
            raws.append(raw_run(posts, args.url, Path(folder)))
            posts = list(islice(BulkWorld(args.seed, max(1, args.posts // 50), args.posts, NOW).posts(), args.posts))
            ours.append(backend_run(posts, args.url, Path(folder)))
    raw, our = min(raws), min(ours)
    print_ratio("elasticsearch", args.posts, args.repeat, ("raw _bulk", raw), ("ElasticsearchBackend", our), TARGET)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
