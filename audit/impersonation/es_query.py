"""The impersonation candidate search on Elasticsearch: mapping, documents and query as plain dicts.

The in-memory Matcher indexes each registry entry under exact keys (core,
pinyin, shape and abbreviated forms of the name and of the owner) and n-gram
keys (shape bigrams, pinyin-syllable bigrams). On Elasticsearch the same keys
are keyword fields of one document per entry, so the same candidate search is
a `terms` query, not a scan:

1. `candidate_query(name, platform, account_id)` — exact-key, identity and
   n-gram matches, exact ones boosted far above n-gram ones;
2. `entries_from_hits(hits)` — the hits back as RegistryEntry objects;
3. `Matcher(entries).check(name, platform, account)` over that short list —
   the scoring and verdict are the same code as without Elasticsearch.

Pure functions, no client and no server: the ES backend (index/) owns the
connection, the versioned index behind the REGISTRY_ALIAS and streaming_bulk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from audit.impersonation.keys import exact_keys, gram_keys, name_keys
from core.models import RegistryEntry

REGISTRY_ALIAS = "govwatch-registry"
REGISTRY_INDEX = "govwatch-registry-v1"  # the alias points here; a mapping change gets -v2
CANDIDATES = 64  # hits fetched: every exact-key hit plus the best n-gram ones
EXACT_BOOST, IDENTITY_BOOST = 10.0, 100.0
_STORED = ("name", "platform", "account_id", "owner", "supervisor", "registry_no", "status")


def mapping() -> dict[str, Any]:
    """Index settings and mappings for the registry index (keyword fields hold the matcher's keys)."""
    keyword = {"type": "keyword"}
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                **{f: keyword for f in _STORED},
                "name_text": {"type": "text"},
                "is_primary": {"type": "boolean"},
                "norm": keyword,  # normalise_name(name): the identity form
                "account_key": keyword,  # platform:account_id, for the "registered" check
                "exact_keys": keyword,
                "gram_keys": keyword,
            },
        },
    }


def document(entry: RegistryEntry) -> dict[str, Any]:
    """The document indexed for one registry entry (its _id should be entry.key)."""
    keys = name_keys(entry.name)
    found = exact_keys(keys)
    if entry.owner:
        found |= exact_keys(name_keys(entry.owner), owner=True)
    return {
        **{f: getattr(entry, f) for f in _STORED},
        "name_text": entry.name,
        "is_primary": entry.is_primary,
        "norm": keys.norm,
        "account_key": f"{entry.platform}:{entry.account_id}" if entry.account_id else "",
        "exact_keys": sorted(found),
        "gram_keys": sorted(gram_keys(keys)),
    }


def candidate_query(
    name: str, platform: str | None = None, account_id: str = "", size: int = CANDIDATES
) -> dict[str, Any]:
    """The search body finding the candidates Matcher.check would score for `name`."""
    keys = name_keys(name)
    # constant_score everywhere: a hit's score is 100 × identity + 10 × any exact key + shared n-grams,
    # the ranking the in-memory short list uses (ES's idf would reorder by how rare a key is).
    should = [_constant({"term": {"norm": keys.norm}}, IDENTITY_BOOST),
              _constant({"terms": {"exact_keys": sorted(exact_keys(keys))}}, EXACT_BOOST)]
    should += [_constant({"term": {"gram_keys": gram}}, 1.0) for gram in sorted(gram_keys(keys))]
    if platform and account_id:
        should.append(_constant({"term": {"account_key": f"{platform}:{account_id}"}}, IDENTITY_BOOST))
    return {"size": size, "query": {"bool": {"should": should, "minimum_should_match": 1}}, "_source": [*_STORED, "is_primary"]}


def _constant(clause: dict[str, Any], boost: float) -> dict[str, Any]:
    return {"constant_score": {"filter": clause, "boost": boost}}


def entries_from_hits(hits: Iterable[Mapping[str, Any]]) -> list[RegistryEntry]:
    """RegistryEntry objects from search hits (`hits.hits` of the response)."""
    entries = []
    for hit in hits:
        src = hit["_source"]
        fields: dict[str, Any] = {f: src.get(f) or "" for f in _STORED}
        fields["status"] = fields["status"] or "active"
        fields["is_primary"] = bool(src.get("is_primary"))
        entries.append(RegistryEntry(**fields))
    return entries
