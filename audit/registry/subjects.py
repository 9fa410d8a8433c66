"""Who an audit judges, and how each relates to the registry.

Subjects are (1) every stored account; (2) every account a government page
mentions (matrix page, 关注"永州人社"微信号) that no stored account carries — known
only by name, it gets account_id "name:<name>" and subject key
"platform:name:<name>"; (3) every registry entry no subject matched, keyed by
its account id or "name:<name>" — so duplicate-platform findings cover
registered accounts the crawl has not reached. Subjects (2) and (3) have
state "not_crawled": activity rules skip them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from audit.names import normalise_name
from audit.registry.matching import (
    RegistryIndex,
    RegistryMatch,
    entry_subject_key,
    name_subject_id,
    share_claims,
)
from core.models import Account, AccountMention, RegistryEntry, account_key
from index.base import AccountActivity, Backend


@dataclass
class Subjects:
    """Registry matches of all subjects, pages listing each (platform, name), and the uncrawled subjects."""

    matches: dict[str, RegistryMatch] = field(default_factory=dict)
    listed: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    uncrawled: list[AccountActivity] = field(default_factory=list)
    unmatched: list[Account] = field(default_factory=list)  # subjects no entry matched (or ambiguous)


def collect_subjects(backend: Backend, index: RegistryIndex) -> Subjects:
    """Match stored accounts, then uncrawled mentions, then unclaimed registry entries."""
    mentioned = group_mentions(backend.iter_mentions())
    subjects = Subjects(listed={key: pages for key, (_, pages) in mentioned.items()})
    crawled: set[tuple[str, str]] = set()
    maybe_unmatched: list[Account] = []  # id matches are final; name matches may turn ambiguous below
    for acc in backend.iter_accounts():
        match = index.match(acc.platform, acc.account_id, acc.name)
        subjects.matches[account_key(acc.platform, acc.account_id)] = match
        crawled.add((acc.platform, normalise_name(acc.name)))
        if match.how != "id":
            maybe_unmatched.append(acc)
    claimed_by_crawl = _claimed_keys(subjects.matches.values())
    for (platform, norm), (name, pages) in sorted(mentioned.items()):
        if (platform, norm) in crawled:
            continue
        acc = _mention_account(platform, name, pages)
        match = index.match(platform, acc.account_id, name)
        if match.entry is not None and match.entry.key in claimed_by_crawl:
            continue  # a registered account crawled under its id (renamed, or its name unreadable)
        _add(subjects, index, acc)
    share_claims(subjects.matches)
    maybe_unmatched += [a.account for a in subjects.uncrawled]
    subjects.unmatched = [
        a for a in maybe_unmatched if not subjects.matches[account_key(a.platform, a.account_id)].registered
    ]
    claimed = _claimed_keys(subjects.matches.values())
    for entry in index.entries:
        if entry.key not in claimed and entry_subject_key(entry) not in subjects.matches:
            _add_entry(subjects, entry)
    return subjects


def group_mentions(mentions: Iterable[AccountMention]) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(platform, normalised name) -> (first spelling seen, sorted URLs of the pages mentioning it)."""
    pages: dict[tuple[str, str], set[str]] = defaultdict(set)
    names: dict[tuple[str, str], str] = {}
    for m in mentions:
        norm = normalise_name(m.name)
        if norm:
            pages[(m.platform, norm)].add(m.page_url)
            names.setdefault((m.platform, norm), m.name)
    return {key: (names[key], sorted(urls)) for key, urls in pages.items()}


def _mention_account(platform: str, name: str, pages: list[str]) -> Account:
    return Account(
        platform=platform, account_id=name_subject_id(name), name=name, url="",
        found_via="gov_site", found_on=pages[0] if pages else "", state="not_crawled",
    )


def _add(subjects: Subjects, index: RegistryIndex, acc: Account) -> None:
    subjects.matches[account_key(acc.platform, acc.account_id)] = index.match(acc.platform, acc.account_id, acc.name)
    subjects.uncrawled.append(AccountActivity(account=acc))


def _add_entry(subjects: Subjects, entry: RegistryEntry) -> None:
    acc = Account(
        platform=entry.platform, account_id=entry.account_id or name_subject_id(entry.name), name=entry.name,
        found_via="registry", state="not_crawled",
    )
    subjects.matches[account_key(acc.platform, acc.account_id)] = RegistryMatch(
        "id" if entry.account_id else "name", entry
    )
    subjects.uncrawled.append(AccountActivity(account=acc))


def _claimed_keys(matches: Iterable[RegistryMatch]) -> set[str]:
    claimed: set[str] = set()
    for m in matches:
        claimed.update(e.key for e in ((m.entry,) if m.entry else m.candidates))
    return claimed
