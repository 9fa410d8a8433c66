"""The account and owner filters of a post search as (platform, account id) pairs, on every backend.

Each backend resolves a name to the accounts it names, and an owner to the accounts the registry
lists for it, in its own way; combining them (both filters: the accounts in both; a platform
filter: only that platform's) is the same everywhere, so it lives here.
"""

from __future__ import annotations

from collections.abc import Callable

from index.base import PostQuery

Pair = tuple[str, str]


def account_pairs(query: PostQuery, named: Callable[[str], set[Pair]],
                  owned: Callable[[str], set[Pair]]) -> set[Pair] | None:
    """The accounts the query's account and owner filters allow; None when it has neither (no limit)."""
    pairs: set[Pair] | None = None
    if query.account:
        pairs = named(query.account)
    if query.owner:
        of_owner = owned(query.owner)
        pairs = of_owner if pairs is None else pairs & of_owner
    if pairs is not None and query.platform:
        pairs = {p for p in pairs if p[0] == query.platform}
    return pairs
