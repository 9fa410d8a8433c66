"""The impersonation check with its candidates from the store's index (Elasticsearch) instead of memory.

A Matcher holds the whole registry in memory, keyed by core.names.keys. A store that keeps the same
keys on its registry documents (ElasticsearchBackend.registry_candidates) answers the candidate
search itself, so the registry never has to be loaded: `IndexedMatcher(store).check(...)` asks the
store for the entries that share a key with the name, then scores that short list with the
Matcher's own code, so verdicts and reasons are the ones the in-memory Matcher gives.

`registry_matcher(store)` picks the one the store supports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from audit.impersonation.keycache import cache_dir_of, matcher_for
from audit.impersonation.matcher import CheckResult, Matcher
from core.models import Account, RegistryEntry
from core.names.keys import NameKeys

Query = tuple[str, str | None, str]  # (name, platform or None, account id or "")
KEYS_KEPT = 200_000  # names whose keys are kept between checks (a few hundred MB at most)


class CandidateIndex(Protocol):
    """A store that finds registry candidates by the impersonation keys (ElasticsearchBackend)."""

    def registry_candidates(self, queries: Iterable[Query]) -> Iterable[list[RegistryEntry]]: ...

    def counts(self) -> dict[str, int]: ...


class IndexedMatcher:
    """Matcher.check with the candidates from the store; `prefetch` asks for many names in batches."""

    def __init__(self, store: CandidateIndex, *, extra_places: Iterable[str] = ()):
        self.store = store
        self.extra_places = tuple(extra_places)
        self._entries = int(store.counts().get("registry", 0))
        self._found: dict[Query, list[RegistryEntry]] = {}
        self._keys: dict[str, NameKeys] = {}  # the entries' keys, kept across checks (pinyin is costly)

    def __len__(self) -> int:
        return self._entries

    def close(self) -> None:
        """As Matcher.close; nothing of its own to release (the store is its caller's to close)."""

    def prefetch(self, queries: Sequence[Query]) -> None:
        """Fetch the candidates of many names at once (one _msearch per batch) for the checks that follow."""
        todo = [q for q in dict.fromkeys(queries) if q not in self._found]
        self._found.update(zip(todo, self.store.registry_candidates(todo), strict=True))

    def check(self, name: str, platform: str | None = None, account: Account | None = None, *,
              now: datetime | None = None, links: Sequence[str] = ()) -> CheckResult:
        """Same contract as Matcher.check (raises BadInputError alike)."""
        platform = platform or (account.platform if account else None)
        query: Query = (name, platform, account.account_id if account else "")
        entries = self._found.pop(query, None)
        if entries is None:
            [entries] = self.store.registry_candidates([query])
        if len(self._keys) > KEYS_KEPT:
            self._keys.clear()
        matcher = Matcher(entries, extra_places=self.extra_places, keys=self._keys)
        return matcher.check(name, platform, account, now=now, links=links)


def registry_matcher(store: Any) -> Matcher | IndexedMatcher:
    """The store's own candidate search when it has one (Elasticsearch), else a Matcher over its
    registry, opening the key index saved beside a file store (not recomputing every name's keys)."""
    if hasattr(store, "registry_candidates"):
        return IndexedMatcher(store)
    return matcher_for(list(store.iter_registry()), cache_dir_of(store))
