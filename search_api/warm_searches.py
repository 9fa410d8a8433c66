"""Searches the API runs when it starts over Elasticsearch, so that its first users do not pay a cold node.

A freshly started node spends its first minutes compiling its search code (the JVM's JIT threads),
on the cores the searches need. Measured with bench/search.py (1,000,000 posts, 4 clients, node
restarted 15 s before, machine shared, load 6–10; bench/node_threads.py splits the node's CPU): in
the first 60 s the JIT threads took 2.4 ms of CPU a request and the search threads 2.8 ms; in the
next 60 s 0.5 and 2.5 ms. The page cache played no part there (the index files were cached: a few
dozen major page faults a run), nor did the shard request cache (both minutes count alike).

So each API process, in its start-up thread, runs /posts searches of every shape the users send
(a word, two words, OR, a whole title, one character, newest first, a platform filter, the hits'
accounts) for `[api] warm_searches_seconds` (0: none), each a query not asked before (words of the
newest posts' titles, paired), so the node compiles what real searches run. With 60 s the node's
first measured minute compiled 0.9 ms a request instead of 2.4 (30 s: 2.0); the node spent ~60 s of
CPU on the warm-up. The API answers meanwhile, sharing the node with it. A SQLite store is not warmed
here (its own read-ahead is index/sqlite_warm.py).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator

from fastapi import HTTPException

from core.models import Post
from index.base import Backend, PostQuery
from index.query import segment
from index.sqlite import SqliteBackend

log = logging.getLogger(__name__)
SAMPLE = 100  # newest posts whose titles give the words
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def sample(store: Backend) -> tuple[list[str], list[str], list[str]]:
    """(words, titles, platforms) of the store's newest posts: what the warm-up searches ask for."""
    posts = [h.item for h in store.search_posts(PostQuery(sort="newest", limit=SAMPLE)).hits
             if isinstance(h.item, Post)]
    titles = [t for t in (p.title.strip() for p in posts) if t]
    words = list(dict.fromkeys(w for t in titles for w in segment(t) if _CJK_WORD.match(w)))
    platforms = list(dict.fromkeys(p.platform for p in posts))
    return words, titles, platforms


def queries(words: list[str], titles: list[str], platforms: list[str]) -> Iterator[PostQuery]:
    """Every search shape in turn, over word pairs not asked before, until the pairs run out."""
    if not words:
        return
    n = len(words)
    # every word first in turn, each time beside the next farther one: a pair is never asked twice
    pairs = ((words[i % n], words[(i + 1 + i // n) % n]) for i in range(n * max(n - 1, 1)))
    for i, (a, b) in enumerate(pairs):
        platform = platforms[i % len(platforms)] if platforms else None
        yield PostQuery(q=a)
        yield PostQuery(q=f"{a} {b}")
        yield PostQuery(q=f"{a} OR {b}")
        yield PostQuery(q=b, sort="newest")
        yield PostQuery(q=a, platform=platform)
        yield PostQuery(q=b, sort="newest", platform=platform)
        yield PostQuery(q=a[i % len(a)])
        if titles:
            yield PostQuery(q=titles[i % len(titles)])


def warm_searches(store: Backend, seconds: float) -> int:
    """Run /posts searches (as the route does) over `store` for up to `seconds`; how many ran. SQLite: none."""
    from search_api.routes.search import run_posts  # the route's own code: search, counts, the hits' accounts

    if seconds <= 0 or isinstance(store, SqliteBackend):
        return 0
    deadline, done = time.monotonic() + seconds, 0
    try:
        for query in queries(*sample(store)):
            if time.monotonic() >= deadline:
                break
            try:
                run_posts(store, query)
            except HTTPException:  # a query the language refuses (a title past the length limit): the next
                continue
            done += 1
    except Exception as exc:  # the node went away or refused (its client's errors, not govwatch's): the requests
        log.warning("warm-up searches stopped after %d: %s", done, exc)  # will say so; the API serves anyway
    return done
