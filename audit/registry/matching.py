"""Match crawled accounts to registry entries: by (platform, account_id), else by normalised name.

An entry that records an account id only ever matches that id: another
account carrying the registered name is not that entry (it may be an
impersonator, which audit.impersonation judges). A name that fits several
entries, or an entry that several accounts fit by name, is ambiguous and is
reported as such, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from audit.names import normalise_name
from core.models import Account, RegistryEntry, account_key

NAME_KEY_PREFIX = "name:"  # account_id of a subject known only by name (a matrix-page mention)


@dataclass(frozen=True)
class RegistryMatch:
    """How one account relates to the registry."""

    how: str  # "id" | "name" | "ambiguous" | "none"
    entry: RegistryEntry | None = None
    candidates: tuple[RegistryEntry, ...] = ()  # for "ambiguous": every entry that fits

    @property
    def registered(self) -> bool:
        return self.how in ("id", "name")


NO_MATCH = RegistryMatch("none")


def name_subject_id(name: str) -> str:
    """The account_id given to an account known only by name: "name:<name>"."""
    return NAME_KEY_PREFIX + name


def entry_subject_key(entry: RegistryEntry) -> str:
    """The subject key for a registry entry no crawled account matched."""
    return account_key(entry.platform, entry.account_id or name_subject_id(entry.name))


class RegistryIndex:
    """Registry entries indexed by (platform, account_id) and by (platform, normalised name)."""

    def __init__(self, entries: Iterable[RegistryEntry]):
        self.entries = list(entries)
        self._by_id: dict[tuple[str, str], list[RegistryEntry]] = defaultdict(list)
        self._by_name: dict[tuple[str, str], list[RegistryEntry]] = defaultdict(list)
        for entry in self.entries:
            if entry.account_id:
                self._by_id[(entry.platform, entry.account_id)].append(entry)
            norm = normalise_name(entry.name)
            if norm:
                self._by_name[(entry.platform, norm)].append(entry)

    def match(self, platform: str, account_id: str, name: str) -> RegistryMatch:
        """The entry for one account, judged alone (see match_all for claims shared by accounts)."""
        known_id = bool(account_id) and not account_id.startswith(NAME_KEY_PREFIX)
        if known_id:
            by_id = self._by_id.get((platform, account_id), [])
            if len(by_id) == 1:
                return RegistryMatch("id", by_id[0])
            if by_id:
                return RegistryMatch("ambiguous", None, tuple(by_id))
        norm = normalise_name(name)
        fits = [
            e for e in self._by_name.get((platform, norm), []) if not (known_id and e.account_id)
        ] if norm else []
        if len(fits) == 1:
            return RegistryMatch("name", fits[0])
        if fits:
            return RegistryMatch("ambiguous", None, tuple(fits))
        return NO_MATCH

    def match_all(self, accounts: Iterable[Account]) -> dict[str, RegistryMatch]:
        """Matches keyed by subject key, with entries shared by several accounts made ambiguous."""
        matches = {
            account_key(a.platform, a.account_id): self.match(a.platform, a.account_id, a.name) for a in accounts
        }
        share_claims(matches)
        return matches


def share_claims(matches: dict[str, RegistryMatch]) -> None:
    """An entry that several subjects fit by name is ambiguous for each of them (never guessed)."""
    claims: dict[str, list[str]] = defaultdict(list)
    for key, m in matches.items():
        if m.how == "name" and m.entry is not None:
            claims[m.entry.key].append(key)
    for keys in claims.values():
        if len(keys) > 1:
            for key in keys:
                entry = matches[key].entry
                matches[key] = RegistryMatch("ambiguous", None, (entry,) if entry else ())
