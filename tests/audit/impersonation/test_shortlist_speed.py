"""The short list's faster parts answer exactly as before: the top n-gram counts and cached postings."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from audit.impersonation import keyindex
from audit.impersonation.keycache import matcher_for
from audit.impersonation.keyindex import GRAM, DiskIndex
from audit.impersonation.matcher import most_common
from core.models import RegistryEntry


@pytest.mark.parametrize("seed", range(40))
def test_most_common_is_counters_order_with_ties_in_first_seen_order(seed: int) -> None:
    rng = random.Random(seed)
    counts: Counter[int] = Counter()
    for _ in range(rng.randint(0, 30)):  # postings of a few grams, many ids counted equally often
        counts.update(rng.sample(range(200), rng.randint(1, 60)))
    for n in (1, 5, 24, 500):
        assert most_common(counts, n) == [i for i, _ in counts.most_common(n)]


ENTRIES = [RegistryEntry(name=f"{place}{dept}", platform="weibo", owner=f"{place}市{dept}局")
           for place in ("永州", "零陵", "祁阳", "东安", "双牌") for dept in ("公安", "发布", "税务", "人社")]


def _disk_index(tmp_path: Path) -> DiskIndex:
    matcher_for(ENTRIES, tmp_path).close()  # builds and saves the key index
    loaded = matcher_for(ENTRIES, tmp_path)
    assert isinstance(loaded.index, DiskIndex)
    return loaded.index


def test_cached_postings_are_the_stored_ones_and_a_repeat_reads_nothing(tmp_path: Path) -> None:
    index = _disk_index(tmp_path)
    try:
        grams = sorted({k[1:] for (k,) in index.db.execute("SELECT key FROM postings") if k[0] == GRAM})
        asked = [*grams[:30], "no such gram"]
        first = index.get_many(GRAM, asked)
        reads: list[str] = []
        index.db.set_trace_callback(reads.append)
        again = index.get_many(GRAM, asked)
        index.db.set_trace_callback(None)
        assert reads == []  # every key, the missing one too, came from the cache
        assert {k: list(v) for k, v in again.items()} == {k: list(v) for k, v in first.items()}
        assert {k: list(v) for k, v in first.items()} == {k: list(index.get(GRAM, k)) for k in grams[:30]}
        assert "no such gram" not in first
    finally:
        index.close()


def test_the_postings_cache_stays_within_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyindex, "POSTING_CACHE", 10)
    index = _disk_index(tmp_path)
    try:
        grams = sorted({k[1:] for (k,) in index.db.execute("SELECT key FROM postings") if k[0] == GRAM})
        for gram in grams:
            expected = list(index.get(GRAM, gram))
            assert [list(v) for v in index.get_many(GRAM, [gram]).values()] == [expected]
            assert index._cached_ids <= 10
        assert len(index._postings) < len(grams)
    finally:
        index.close()
