"""Per-term boosts so that a query's words weigh on Elasticsearch what they weigh in the SQLite store.

Elasticsearch scores a phrase of n bigrams with the sum of its bigrams' idf, so in a query of
several words a four-character word (three bigrams, one of them common, e.g. 安全 in 食品安全)
outweighs another of the same rarity by its length alone. The SQLite store weighs a word by one
idf, that of its rarest token (index/sqlite_stats.py). Each multi-token word of a query with more
than one word therefore gets boost = idf(rarest token) / Σ idf(token): its Elasticsearch score is
then that one idf times the same BM25 term-frequency part. Measured on the parity set it turns
`乡村振兴 OR 食品安全 OR 交通安全` from 0 to 8 of 10 shared top results.

Token statistics come from one `_termvectors` request per query (an artificial document of the
words: the index's own analysis with term statistics) and are kept for TTL seconds; a query of
one word, or of two-character words only, needs no request (its ranking cannot change).
The same statistics give each word's document frequency (`doc_freqs`): a long natural query
takes its candidates from its rarest words (candidates.py), as the SQLite store does.
"""

from __future__ import annotations

import math

from index.elastic.kept import Kept
from index.elastic.parts import EsStore
from index.query import Query, Term

TTL = 600.0  # seconds a word's statistics are reused (document frequencies drift slowly)
KEPT = 20_000  # words kept at most
_cache: Kept[tuple[str, str], tuple[int, float]] = Kept(TTL, KEPT)  # (index, word) → (doc freq, boost)


def _idf(df: int, docs: int) -> float:
    """Lucene's BM25 idf (the SQLite store uses the same formula)."""
    return math.log(1 + (docs - df + 0.5) / (df + 0.5))


def term_boosts(backend: EsStore, name: str, query: Query) -> dict[str, float]:
    """Boost per word text for the words of `query` whose weight differs (missing words: boost 1)."""
    terms = query.positive_terms()
    weighed = [t for t in terms if len(t.tokens) > 1 and not t.single_char]
    if len(terms) < 2 or not weighed:
        return {}
    return {text: boost for text, (_, boost) in _stats(backend, name, weighed).items()}


def doc_freqs(backend: EsStore, name: str, terms: list[Term]) -> dict[str, int]:
    """An upper bound of each word's documents (its rarest token's), as the SQLite store's doc_freq;
    a lone character (not in the bigram field) counts as in every document."""
    return {text: df for text, (df, _) in _stats(backend, name, terms).items()}


def _stats(backend: EsStore, name: str, terms: list[Term]) -> dict[str, tuple[int, float]]:
    """(doc freq, boost) of `terms`, from the cache or one termvectors request for the missing ones."""
    index = backend.index(name)
    known = {word: stats for (_, word), stats in _cache.get_many((index, t.text) for t in terms).items()}
    todo = [t for t in terms if t.text not in known]
    if todo:
        found = _fetch(backend, index, todo)
        _cache.put_many({(index, text): stats for text, stats in found.items()})
        known.update(found)
    return known


def _fetch(backend: EsStore, index: str, terms: list[Term]) -> dict[str, tuple[int, float]]:
    """(doc freq, boost) of `terms` from one termvectors request over an artificial document of all of them."""
    doc = {"search": "\n".join(t.text for t in terms)}
    answer = backend.client.termvectors(index=index, body={
        "doc": doc, "fields": ["search"], "term_statistics": True, "field_statistics": True,
        "positions": False, "offsets": False})
    field = answer.get("term_vectors", {}).get("search")
    docs = int(field["field_statistics"]["doc_count"]) if field else 0
    if not docs:  # nothing searchable yet: no weights, and none kept
        return {}
    df = {token: int(v.get("doc_freq", 0)) for token, v in field["terms"].items()}
    stats = {}
    for t in terms:
        if t.single_char:
            stats[t.text] = (docs, 1.0)
            continue
        idfs = [_idf(df.get(token, 0), docs) for token in t.tokens]
        rarest = min(df.get(token, 0) for token in t.tokens)
        stats[t.text] = (rarest, _idf(rarest, docs) / sum(idfs) if sum(idfs) else 1.0)
    return stats
