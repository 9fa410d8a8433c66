"""Relevance over the newest-indexed CANDIDATES matches, as the SQLite store ranks (index/sqlite_query.py).

Scoring every match is what made a search slow at 1,000,000 posts: a long natural query matches
5 of its 8 words in ~170,000 posts, and Lucene scored all of them (230 ms of node CPU). The SQLite
store ranks only the CANDIDATES newest-indexed matches; a long query's candidates are the documents
holding one of its rarest (n − minimum_should_match + 1) words (any document with enough of the
words holds one of them), of which those with enough words are kept. Here the same in two steps:

1. `newest`: the `seq` (indexing order) of the CANDIDATES-th newest match of the finder, in filter
   context (no scores), sorted by `seq`. It looks first in a window of the newest documents (a
   range on `seq`, cheap on its points, estimated from the index's seq bounds) sized from an upper
   bound of the matches (`at_most`, the words' document counts; at least FIRST_WINDOW), and widens
   it WIDEN times until enough match or the window is the whole index, so a common word costs a few
   thousand documents, not all its matches; when at most CANDIDATES can match it does not search. Measured at 1,000,000 posts, two traps:
   fetching the 301 hits' stored fields (for `_id`) cost ~150 ms, so it asks for the one hit it
   needs with `stored_fields: _none_`; and `track_total_hits: false` with a sort on a long makes
   Elasticsearch 7.10 add a distance-feature query whose min-competitive-score updates cost
   ~500 ms, so it counts the window's matches (bounded) instead.
2. The caller scores the real query restricted to `seq` ≥ that cutoff: at most CANDIDATES documents
   (plus equal seqs) are scored.

A cutoff is kept (like the seq bounds, BOUNDS_TTL seconds) for its finder query and the index's
seq bounds it was found with: asking the same search again, as a user paging or a dashboard
refreshing does, costs no cluster round trip for it (the next pages carry it in their cursor,
search.py). A document indexed meanwhile has a higher seq, so it is still a candidate.
"""

from __future__ import annotations

import json
from typing import Any

from index.base import CANDIDATES
from index.elastic.kept import Kept
from index.elastic.parts import EsStore
from index.elastic.weights import doc_freqs
from index.query import AnyOf, Query

FIRST_WINDOW = 4_096  # newest documents looked at first
WIDEN = 8  # the window grows by this factor while too few match
BOUNDS_TTL = 30.0  # seconds an index's seq bounds are reused (newer documents fall inside any window)
_bounds: Kept[str, tuple[int, int, int]] = Kept(BOUNDS_TTL)  # index → (lowest seq, highest, documents)
# (index, finder query, seq bounds) → (cutoff,): the tuple tells a kept "no cutoff" from none kept
_cutoffs: Kept[tuple[str, str, tuple[int, int, int]], tuple[int | None]] = Kept(BOUNDS_TTL, 10_000)


def finder(backend: EsStore, name: str, query: Query) -> Query:
    """The query that finds candidates: `query` itself, or for a relaxed one (some words optional) the
    documents holding any of its rarest n − msm + 1 words (and its required parts)."""
    need, words = query.minimum_should_match, list(query.should)
    if need >= len(words):
        return query
    freq = doc_freqs(backend, name, words)
    by_rarity = sorted(words, key=lambda t: freq.get(t.text, 0))
    return Query(raw=query.raw, must=query.must, should=tuple(by_rarity[: len(words) - need + 1]),
                 minimum_should_match=1, must_not=query.must_not, notes=query.notes)


def at_most(backend: EsStore, name: str, query: Query) -> int | None:
    """An upper bound of `query`'s matches from its words' document counts (None: unknown): a required
    word's count, an OR's options summed, and for k of n words the n − k + 1 rarest summed (a document
    with k of them holds one of those)."""
    freq = doc_freqs(backend, name, query.positive_terms())
    if not freq:
        return None
    big = max(freq.values()) * len(freq) + 1  # a word without a count bounds nothing
    df = lambda t: freq.get(t.text, big) if not t.single_char else big  # noqa: E731
    bounds = [sum(min(df(t) for t in o) for o in c.options) if isinstance(c, AnyOf) else df(c) for c in query.must]
    if query.should:
        counts = sorted(df(t) for t in query.should)
        bounds.append(sum(counts[: len(counts) - query.minimum_should_match + 1]))
    return min(bounds) if bounds else None


def newest(backend: EsStore, name: str, match: dict[str, Any], most: int | None = None) -> int | None:
    """seq of the CANDIDATES-th newest document matching `match` (a filter), or None when no more than
    CANDIDATES match (then all of them are candidates). `most` (at_most) sizes the first window so that
    it should hold about 2 × CANDIDATES matches: a rare word is looked for in one search, not four."""
    index = backend.index(name)
    bounds = _seq_bounds(backend, index)
    if bounds[2] <= CANDIDATES or (most is not None and most <= CANDIDATES):
        return None
    key = (index, f"{CANDIDATES} {json.dumps(match, sort_keys=True, ensure_ascii=False)}", bounds)
    kept = _cutoffs.get(key)
    if kept is None:
        kept = (_find_cutoff(backend, index, match, bounds, most),)
        _cutoffs.put(key, kept)
    return kept[0]


def _find_cutoff(backend: EsStore, index: str, match: dict[str, Any], bounds: tuple[int, int, int],
                 most: int | None) -> int | None:
    """`newest` asking the cluster: a window of the newest documents, widened until it holds CANDIDATES."""
    low, high, docs = bounds
    window = max(FIRST_WINDOW, docs * 2 * CANDIDATES // most) if most else FIRST_WINDOW
    while True:
        cutoff = high - (high - low) * window // docs if window < docs else None
        where = [match] + ([{"range": {"seq": {"gte": cutoff}}}] if cutoff is not None else [])
        order: Any = [{"seq": "desc"}]  # the client's type says strings; the body takes this form
        hits = backend.client.search(  # the CANDIDATES-th newest and whether one follows
            index=index, query={"bool": {"filter": where}}, sort=order, from_=CANDIDATES - 1, size=2,
            stored_fields="_none_", track_total_hits=True)["hits"]["hits"]
        if len(hits) == 2:
            return int(hits[0]["sort"][0])
        if cutoff is None:
            return None
        window *= WIDEN


def _seq_bounds(backend: EsStore, index: str) -> tuple[int, int, int]:
    """(lowest seq, highest seq, documents) of `index`, kept BOUNDS_TTL seconds."""
    kept = _bounds.get(index)
    if kept and kept[2] >= FIRST_WINDOW:  # a small index is asked each time: its count decides whether all
        return kept  # its matches are candidates
    answer = backend.client.search(index=index, size=0, track_total_hits=True,
                                   aggs={"low": {"min": {"field": "seq"}}, "high": {"max": {"field": "seq"}}})
    docs = int(answer["hits"]["total"]["value"])
    aggs = answer["aggregations"]
    bounds = (int(aggs["low"]["value"] or 0), int(aggs["high"]["value"] or 0), docs)
    _bounds.put(index, bounds)
    return bounds
