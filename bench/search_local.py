"""bench/search.py --in-process: the query mix on the SQLite store alone, no API and no HTTP, with each
search's own CPU time (a figure the machine's load does not inflate).

The store is opened as the API opens it (read-only), and timing starts once
what the API's workers have ready before the bench times them is ready here
too: the platform map (index/sqlite_platforms.py) and the commonest words'
counts (index/sqlite_warm.py).
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.search_fresh import Mix


def in_process(db: Path, mix: Mix, clients: int, seconds: float, memo: bool = True
               ) -> dict[str, list[float]]:
    """The store alone: the mix's /posts queries on one SqliteBackend from `clients` threads; `memo` False:
    no match counts kept between searches."""
    from urllib.parse import parse_qsl

    from index.base import FACETS, PostQuery
    from index.query import warm_up
    from index.sqlite import SqliteBackend

    warm_up()
    store = SqliteBackend(db, read_only=True)
    store.stats.platform_map.build(str(db))
    warming = store.stats.warm("posts")
    if warming is not None:
        warming.join()
    if not memo:
        store.stats.counts.size = 0
    def parsed(path: str) -> PostQuery:
        return PostQuery(**dict(parse_qsl(path.split("?", 1)[1])), facets=FACETS)  # type: ignore[arg-type]

    queries: list[tuple[str, Any]] = [  # a new- class's query is made anew for every search
        (cls, (lambda source=source: parsed(source())) if callable(source) else parsed(source))
        for cls, sources in mix.items() for source in sources if callable(source) or source.startswith("/posts?")]
    times: dict[str, list[float]] = defaultdict(list)
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        while time.monotonic() < stop:
            for cls, source in rng.sample(queries, len(queries)):
                query = source() if callable(source) else source
                started, cpu = time.perf_counter(), time.thread_time()
                store.search_posts(query)
                times[cls].append((time.perf_counter() - started) * 1000)
                times[f"{cls} cpu"].append((time.thread_time() - cpu) * 1000)  # this thread's CPU: load-independent

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    return times
