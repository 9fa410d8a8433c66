"""Who an account is: its registry entry (and so its owner) and its open findings.

Search hits, account lists and findings all name the account they are
about. The registry is read once and rebuilt in the background after REFRESH_SECONDS
(search_api.cache); findings are read per account asked for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from audit.names import normalise_name
from audit.registry.matching import NO_MATCH, RegistryIndex, RegistryMatch
from core.models import Account, RegistryEntry, account_key
from index.base import Backend
from search_api.cache import Refreshing, store_stamp
from search_api.node_restarts import checking_nodes

REFRESH_SECONDS = 120.0


@dataclass
class AccountInfo:
    """What a hit or a finding says about its account."""

    platform: str
    account_id: str
    name: str = ""
    owner: str = ""
    registered: str = "none"  # id | name | ambiguous | none (audit.registry.matching)
    statuses: list[str] = field(default_factory=list)  # kinds of the open findings


def _names(store: Backend) -> dict[str, list[str]]:
    """Stored account names by normalised name (NFKC, traditional → simplified, no decorations)."""
    names: dict[str, set[str]] = defaultdict(set)
    for account in store.iter_accounts():
        if account.name:
            names[normalise_name(account.name)].add(account.name)
    return {k: sorted(v) for k, v in names.items()}


# the registry's periodic look at the store also looks at the nodes' start times (node_restarts.py)
REGISTRY: Refreshing[RegistryIndex] = Refreshing(lambda store: RegistryIndex(store.iter_registry()), REFRESH_SECONDS,
                                              checking_nodes(store_stamp("registry")))
NAMES: Refreshing[dict[str, list[str]]] = Refreshing(_names, REFRESH_SECONDS, store_stamp("accounts"))


def stored_spelling(store: Backend, name: str) -> str:
    """The stored account name `name` means in either script (the store matches names exactly, an
    investigator may type 无锡发布 or 無錫發佈); `name` itself when stored as is or unknown."""
    spellings = NAMES.get(store).get(normalise_name(name), [])
    return name if not spellings or name in spellings else spellings[0]


def match(store: Backend, account: Account) -> RegistryMatch:
    """The account's registry entry, judged by id then normalised name."""
    return REGISTRY.get(store).match(account.platform, account.account_id, account.name)


def entry_of(m: RegistryMatch) -> RegistryEntry | None:
    return m.entry if m.entry is not None else (m.candidates[0] if len(m.candidates) == 1 else None)


def open_kinds(store: Backend) -> dict[str, list[str]]:
    """Open finding kinds by subject key (one read of the findings, for lists)."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for f in store.list_findings(status="open"):
        kinds[f.subject_key].add(f.kind)
    return {key: sorted(v) for key, v in kinds.items()}


def describe(store: Backend, account: Account, kinds: dict[str, list[str]] | None = None) -> AccountInfo:
    """AccountInfo for a stored account; `kinds` from open_kinds() saves a read per account."""
    key = account_key(account.platform, account.account_id)
    statuses = kinds.get(key, []) if kinds is not None else sorted(
        {f.kind for f in store.list_findings(status="open", subject_key=key)})
    m = match(store, account)
    entry = entry_of(m)
    return AccountInfo(account.platform, account.account_id, account.name, entry.owner if entry else "",
                       m.how, statuses)


class Directory:
    """AccountInfo per (platform, account_id), read at most once per request."""

    def __init__(self, store: Backend):
        self.store = store
        self._seen: dict[tuple[str, str], AccountInfo] = {}

    def prefetch(self, pairs: list[tuple[str, str]]) -> None:
        """Read the accounts of a page of hits at once when the store can (Elasticsearch: two requests
        instead of two per account; SQLite: two queries instead of two per account, about 1 ms a page)."""
        batch = getattr(self.store, "accounts_for", None)
        todo = [p for p in dict.fromkeys(pairs) if p not in self._seen]
        if batch is None or not todo:
            return
        accounts, kinds = batch(todo)
        for pair in todo:
            account = accounts.get(pair)
            self._seen[pair] = describe(self.store, account, kinds) if account else AccountInfo(*pair)

    def remember(self, info: AccountInfo) -> None:
        """An account this request has described already (the account page's own): no second read."""
        self._seen[(info.platform, info.account_id)] = info

    def get(self, platform: str, account_id: str) -> AccountInfo:
        if (platform, account_id) not in self._seen:
            account = self.store.get_account(platform, account_id)
            self._seen[(platform, account_id)] = (
                describe(self.store, account) if account else AccountInfo(platform, account_id))
        return self._seen[(platform, account_id)]


__all__ = ["NAMES", "NO_MATCH", "stored_spelling", "AccountInfo", "Directory", "REGISTRY", "describe", "entry_of", "match",
           "open_kinds"]
