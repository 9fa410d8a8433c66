"""The registry on Elasticsearch with the impersonation keys, and the candidate search over them.

The in-memory impersonation Matcher (audit/impersonation/matcher.py) indexes each registry entry
under exact keys (core, pinyin, shape and abbreviated forms of the name and of the owner) and
n-gram keys (shape bigrams, pinyin-syllable bigrams), all made by core.names.keys. Here the same
keys are keyword fields of the entry's document, so the candidate search is a `terms` query on
the cluster instead of a registry held in memory:

1. `candidate_query(name, platform, account_id)`: identity, account id, exact-key and n-gram
   matches, each a constant score (identity ≫ exact key ≫ one shared n-gram);
2. `find_candidates(backend, queries)`: one `_msearch` per batch of names, the hits back as
   RegistryEntry objects, read from doc values (`ENTRY_FIELDS`, all keyword, boolean or date): a
   hit's `_source` (or even its `_id`) is a stored-fields read, and Lucene 8.7's stored fields
   decompress a whole block per document, so 64 hits cost ~40 ms of the account page's request
   at 88,582 entries against ~10 from doc values;
3. the audit's IndexedMatcher scores that short list with the Matcher's own code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from core.errors import StoreError
from core.models import RegistryEntry
from core.names.keys import exact_keys, gram_keys, name_keys
from index.elastic import docs as D
from index.elastic.parts import EsStore

CANDIDATES = 64  # hits fetched per name: every exact-key hit plus the best n-gram ones
EXACT_BOOST, IDENTITY_BOOST = 10.0, 100.0
BATCH = 200  # names per _msearch request
KEYWORD = {"type": "keyword"}
KEY_PROPERTIES = {
    "norm": KEYWORD,  # normalise_name(name): the identity form
    "account_key": KEYWORD,  # platform:account_id, for the "same account id" check
    "exact_keys": KEYWORD,
    "gram_keys": KEYWORD,
}
Query = tuple[str, str | None, str]  # (name, platform or None, account id or "")
# The entry's own fields (docs.registry_doc), each single-valued with doc values: a hit is read from them
ENTRY_FIELDS = ["key", "name", "platform", "account_id", "owner", "supervisor", "registry_no", "status", "is_primary",
                "registered_at"]


def registry_doc(entry: RegistryEntry) -> dict[str, Any]:
    """The stored entry plus its impersonation keys (the owner adds its abbreviated forms)."""
    keys = name_keys(entry.name)
    found = exact_keys(keys) if keys.norm else set()
    if entry.owner:
        found |= exact_keys(name_keys(entry.owner), owner=True)
    return {
        **D.registry_doc(entry),
        "norm": keys.norm,
        "account_key": f"{entry.platform}:{entry.account_id}" if entry.account_id else "",
        "exact_keys": sorted(found),
        "gram_keys": sorted(gram_keys(keys)) if keys.norm else [],
    }


def candidate_query(name: str, platform: str | None = None, account_id: str = "",
                    size: int = CANDIDATES) -> dict[str, Any]:
    """The search body finding the entries Matcher.check would score for `name`."""
    keys = name_keys(name)
    # constant_score everywhere: a hit's score is 100 × identity + 10 × any exact key + shared n-grams,
    # the ranking of the in-memory short list (ES's idf would reorder by how rare a key is).
    should = [_constant({"term": {"norm": keys.norm}}, IDENTITY_BOOST),
              _constant({"terms": {"exact_keys": sorted(exact_keys(keys))}}, EXACT_BOOST)]
    should += [_constant({"term": {"gram_keys": gram}}, 1.0) for gram in sorted(gram_keys(keys))]
    if platform and account_id:
        should.append(_constant({"term": {"account_key": f"{platform}:{account_id}"}}, IDENTITY_BOOST))
    # ties broken by key, so the short list is the same on every run
    return {"size": size, "query": {"bool": {"should": should, "minimum_should_match": 1}},
            "sort": ["_score", {"key": "asc"}], "_source": False, "stored_fields": "_none_",
            "docvalue_fields": ENTRY_FIELDS}


def entry_from(hit: dict[str, Any]) -> RegistryEntry:
    """The RegistryEntry of a candidate hit, from its doc values (one value per field; "" has one too)."""
    return D.registry_from({field: values[0] for field, values in hit.get("fields", {}).items()})


def _constant(clause: dict[str, Any], boost: float) -> dict[str, Any]:
    return {"constant_score": {"filter": clause, "boost": boost}}


def find_candidates(backend: EsStore, queries: Iterable[Query]) -> Iterator[list[RegistryEntry]]:
    """For each (name, platform, account id), the registry entries sharing an identity or key with it."""
    backend.fresh("registry")
    it = iter(queries)
    while batch := list(islice(it, BATCH)):
        yield from _search_batch(backend, batch)


def _search_batch(backend: EsStore, batch: Sequence[Query]) -> Iterator[list[RegistryEntry]]:
    lines: list[dict[str, Any]] = []
    for name, platform, account_id in batch:
        lines += [{"index": backend.index("registry")}, candidate_query(name, platform, account_id)]
    answers = backend.client.msearch(body=lines)["responses"]
    for answer in answers:
        if "error" in answer:
            raise StoreError(f"{backend.index('registry')}: candidate search failed: {answer['error']}")
        yield [entry_from(hit) for hit in answer["hits"]["hits"]]
