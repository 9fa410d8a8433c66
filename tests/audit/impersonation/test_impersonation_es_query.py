"""Pins the Elasticsearch form of the candidate search (pure dicts; no server).

A small evaluator below scores documents the way Elasticsearch scores this
query shape (bool.should of constant_score term/terms filters: the sum of the
matching boosts), so the tests show the query finds what the Matcher needs:
over the labelled set, Matcher(hits).check gives the same verdict and best
candidate as the Matcher over the whole registry.
"""

from __future__ import annotations

from typing import Any

import pytest

from audit.impersonation import Matcher
from audit.impersonation.es_query import (
    REGISTRY_ALIAS,
    REGISTRY_INDEX,
    candidate_query,
    document,
    entries_from_hits,
    mapping,
)
from core.models import Account, RegistryEntry
from tests.audit.impersonation.labelled_set import CASES, load_registry


def _matches(clause: dict[str, Any], doc: dict[str, Any]) -> bool:
    (kind, body), = clause.items()
    (field, value), = body.items()
    have = doc[field] if isinstance(doc[field], list) else [doc[field]]
    wanted = value if kind == "terms" else [value]
    return any(v in have for v in wanted)


def search(docs: list[dict[str, Any]], body: dict[str, Any]) -> list[dict[str, Any]]:
    """Score docs as Elasticsearch scores bool.should of constant_score filters; return the top hits."""
    scored = []
    for i, doc in enumerate(docs):
        score = sum(c["constant_score"]["boost"] for c in body["query"]["bool"]["should"]
                    if _matches(c["constant_score"]["filter"], doc))
        if score:
            scored.append((-score, i))
    scored.sort()
    return [{"_source": {k: docs[i][k] for k in body["_source"]}} for _, i in scored[: body["size"]]]


@pytest.fixture(scope="module")
def indexed() -> tuple[list[dict[str, Any]], Matcher]:
    registry = load_registry()
    return [document(e) for e in registry], Matcher(registry)


def test_mapping_declares_every_document_field() -> None:
    """The strict mapping has a field for everything a document carries, keys as keyword fields."""
    doc = document(RegistryEntry("永州人社", "wechat", "gh_1", owner="永州市人力资源和社会保障局", is_primary=True))
    props = mapping()["mappings"]["properties"]
    assert set(doc) == set(props)
    assert props["exact_keys"] == props["gram_keys"] == {"type": "keyword"}
    assert "f:永州人社" in doc["exact_keys"] and "p:yongzhourenshe" in doc["exact_keys"]
    assert doc["account_key"] == "wechat:gh_1" and REGISTRY_INDEX.startswith(REGISTRY_ALIAS)


def test_hits_round_trip_to_registry_entries() -> None:
    """entries_from_hits rebuilds the entry from _source."""
    entry = RegistryEntry("永州人社", "wechat", "gh_1", owner="永州市人社局", registry_no="B1", is_primary=True)
    body = candidate_query("永州人社")
    [back] = entries_from_hits(search([document(entry)], body))
    assert back == entry


def test_query_finds_the_homophone_owner_and_id_candidates() -> None:
    """Identity, account id, exact keys and n-grams each bring their entry back."""
    docs = [document(RegistryEntry("永州人社", "wechat", "gh_1", owner="永州市人力资源和社会保障局")),
            document(RegistryEntry("上海发布", "weibo", "9", owner="上海市人民政府新闻办公室"))]
    for name, platform, account_id in (("永洲人社", None, ""), ("永州市人社局", None, ""), ("x", "wechat", "gh_1")):
        hits = search(docs, candidate_query(name, platform, account_id))
        assert hits and hits[0]["_source"]["name"] == "永州人社", name


def test_short_list_from_the_query_gives_the_full_matchers_verdicts(
    indexed: tuple[list[dict[str, Any]], Matcher],
) -> None:
    """Over the labelled set, checking only the query's hits gives the same verdict and best candidate."""
    docs, full = indexed
    for case in CASES:
        hits = search(docs, candidate_query(case.name, case.platform, case.account_id))
        short = Matcher(entries_from_hits(hits))
        acc = Account(case.platform, case.account_id, case.name) if case.account_id else None
        a, b = full.check(case.name, case.platform, acc), short.check(case.name, case.platform, acc)
        assert (a.verdict, a.candidates[:1] and a.candidates[0].name) == (
            b.verdict, b.candidates[:1] and b.candidates[0].name), case
