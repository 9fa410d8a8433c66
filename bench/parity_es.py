"""Top-10 agreement of SQLite and Elasticsearch over the parity set, query by query.

    url=$(scripts/es-node.sh start | tail -1)
    GOVWATCH_ES_URL=$url .venv/bin/python bench/parity_es.py [--show]

Loads the sample web's posts (seed 7) into a fresh SQLite store and a fresh index prefix, runs the
38 queries of tests/index/test_parity.py on both and prints, per query, how many of the top 10
both return and both totals ("+" = capped), then the share over all queries (the figure
test_top_ten_agree_between_backends checks). --show prints both top 10s where they differ:
post id, score, text length and the start of the title.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.base import PostQuery, SearchResult  # noqa: E402
from index.elastic import indices  # noqa: E402
from index.elastic import test_backend as es_backend  # noqa: E402
from index.sqlite import SqliteBackend  # noqa: E402
from sampleweb.world import generate  # noqa: E402
from tests.audit.world_store import load_world  # noqa: E402
from tests.index.test_parity import QUERIES  # noqa: E402


def _total(r: SearchResult) -> str:
    return f"{r.total}{'' if r.total_exact else '+'}"


def _top(r: SearchResult) -> list[tuple[str, float, int, str]]:
    return [(h.item.post_id[-6:], round(h.score, 3), len(h.item.text), h.item.title[:8])  # type: ignore[union-attr]
            for h in r.hits]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print both top 10s where they differ")
    args = parser.parse_args(argv)
    url = os.environ.get("GOVWATCH_ES_URL", "")
    if not url:
        print("bench/parity_es.py needs GOVWATCH_ES_URL", file=sys.stderr)
        return 2
    world = generate(seed=7)
    with tempfile.TemporaryDirectory() as folder:
        sqlite, es = SqliteBackend(Path(folder) / "parity.db"), es_backend(url, Path(folder))
        try:
            for store in (sqlite, es):
                store.setup()
                load_world(store, world)
            agree = total = 0
            for q in QUERIES:
                a, b = (s.search_posts(PostQuery(q=q, limit=10)) for s in (sqlite, es))
                ids = [{h.item.post_id for h in r.hits} for r in (a, b)]  # type: ignore[union-attr]
                shared, most = len(ids[0] & ids[1]), max(len(ids[0]), len(ids[1]))
                agree, total = agree + shared, total + most
                print(f"{shared:2}/{most:<2}  totals {_total(a):>5} {_total(b):>5}  {q}")
                if args.show and shared < most:
                    print(f"    sqlite        {_top(a)}\n    elasticsearch {_top(b)}")
            print(f"top-10 agreement over {len(QUERIES)} queries: {agree / max(total, 1):.2f}")
        finally:
            indices.drop_all(es.client, es.prefix)
            sqlite.close()
            es.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
