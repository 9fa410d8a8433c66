"""The impersonation keys on the Elasticsearch registry: documents, the candidate query, and the
check whose candidates come from the real node (IndexedMatcher), against the in-memory Matcher.

The labelled impersonation set (tests/fixtures/impersonation) is the yardstick: over its 300-odd
cases, checking only the candidates the index returns must give the same verdict and best
candidate as the Matcher over the whole registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from audit.impersonation import Matcher
from audit.impersonation.indexed import IndexedMatcher, registry_matcher
from audit.registry.verdicts import audit_matcher
from core.models import Account, RegistryEntry
from index.elastic import ElasticsearchBackend
from index.elastic import docs as D
from index.elastic.mappings import body
from index.elastic.registry import candidate_query, registry_doc
from tests.audit.impersonation.labelled_set import CASES, load_registry
from tests.es_node import es_store

NOW = datetime(2026, 11, 23, 10, 0)


def test_mapping_declares_every_document_field() -> None:
    """The strict registry mapping has a field for everything a document carries, keys as keyword fields."""
    doc = registry_doc(RegistryEntry("永州人社", "wechat", "gh_1", owner="永州市人力资源和社会保障局", is_primary=True))
    props = body("registry")["mappings"]["properties"]
    assert set(doc) == set(props)
    assert props["exact_keys"] == props["gram_keys"] == {"type": "keyword"}
    assert "f:永州人社" in doc["exact_keys"] and "p:yongzhourenshe" in doc["exact_keys"]
    assert doc["account_key"] == "wechat:gh_1" and doc["norm"] == "永州人社"


def test_a_name_of_decorations_only_gets_no_keys() -> None:
    """Nothing of 【】 survives normalisation: the entry is stored but matches no query by its keys."""
    doc = registry_doc(RegistryEntry("【】", "weibo", "7"))
    assert doc["norm"] == "" and doc["exact_keys"] == doc["gram_keys"] == []


def test_the_query_asks_identity_exact_keys_and_grams_with_their_boosts() -> None:
    """Identity and account id weigh 100, any exact key 10, each shared n-gram 1."""
    should = candidate_query("永洲人社", "wechat", "gh_1")["query"]["bool"]["should"]
    boosts = {_field(c["constant_score"]["filter"]): c["constant_score"]["boost"] for c in should}
    assert boosts["norm"] == boosts["account_key"] == 100.0 and boosts["exact_keys"] == 10.0
    assert boosts["gram_keys"] == 1.0


def _field(clause: dict[str, Any]) -> str:
    (_, body), = clause.items()
    (field, _), = body.items()
    return str(field)


@pytest.fixture(scope="module")
def es(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ElasticsearchBackend]:
    with es_store(es_url, tmp_path_factory.mktemp("registry-keys")) as store:
        store.upsert_registry(load_registry())
        yield store

@pytest.mark.es
def test_candidates_from_the_index_give_the_full_matchers_verdicts(es: ElasticsearchBackend) -> None:
    """Over the labelled set: same verdict and best candidate as the Matcher over the whole registry."""
    full, indexed = Matcher(load_registry()), registry_matcher(es)
    assert isinstance(indexed, IndexedMatcher) and len(indexed) == len(full.entries)
    indexed.prefetch([(c.name, c.platform, c.account_id) for c in CASES])
    for case in CASES:
        acc = Account(case.platform, case.account_id, case.name) if case.account_id else None
        a, b = full.check(case.name, case.platform, acc), indexed.check(case.name, case.platform, acc)
        assert (a.verdict, [c.name for c in a.candidates[:1]]) == (
            b.verdict, [c.name for c in b.candidates[:1]]), case

@pytest.mark.es
def test_a_homophone_finds_its_entry_and_an_unrelated_name_nothing(es: ElasticsearchBackend) -> None:
    """永洲人社 (洲 for 州) is found by its pinyin key; a name sharing no key brings no candidate."""
    [homophone, unrelated] = es.registry_candidates([("永洲人社", "wechat", ""), ("xyzzy", None, "")])
    assert "永州人社" in {e.name for e in homophone}
    assert unrelated == []
    assert IndexedMatcher(es).check("永洲人社", "wechat").verdict == "impersonation"


@pytest.mark.es
def test_a_candidate_read_from_doc_values_is_the_stored_entry(es: ElasticsearchBackend) -> None:
    """Candidates are read from doc values, not _source: every field comes back as stored, empty ones too."""
    stored = {e.key: e for e in load_registry()}
    [found] = es.registry_candidates([("永洲人社", "wechat", "")])
    assert found and all(entry == stored[entry.key] for entry in found)

@pytest.mark.es
def test_the_audit_asks_the_index_and_agrees_with_the_in_memory_checks(es: ElasticsearchBackend) -> None:
    """audit_matcher with an Elasticsearch store answers from the index, as check_all does from memory."""
    accounts = [Account(c.platform, c.account_id or f"x{i}", c.name) for i, c in enumerate(CASES[:80])]
    ours = audit_matcher(load_registry(), NOW, None, es, accounts)
    assert ours is not None and isinstance(ours._local, IndexedMatcher) and len(ours._answers) == len(accounts)
    full = Matcher(load_registry())
    for acc in accounts:
        want = full.check(acc.name, acc.platform, acc, now=NOW)
        got = ours.check(acc.name, acc.platform, acc, now=NOW)
        assert (got.verdict, got.candidates[:1]) == (want.verdict, want.candidates[:1]), acc


@pytest.mark.es
def test_a_migrated_registry_is_keyed_again(es: ElasticsearchBackend) -> None:
    """A reindex cannot compute pinyin: migrate writes the entries again, and keys left out come back."""
    entry = RegistryEntry("湘江新区城管发布", "weibo", "9901")
    es.client.index(index=es.index("registry"), id=entry.key, document=D.registry_doc(entry), refresh=True)
    assert entry not in es.registry_candidates([("湘江新区城管发布", None, "")]).__next__()
    done = es.migrate("registry", force=True)
    assert done["rekeyed"] == 1 and done["to"] != done["from"]
    [found] = es.registry_candidates([("湘江新区城管发布", None, "")])
    assert entry in found
