"""The impersonation matcher: indexed candidate search over the registry, then scoring.

`Matcher(entries)` builds, once, an inverted index from keys (see keys.py) to
registry entries. `check(name, platform, account)` looks up the query's exact
keys (core, pinyin, shape, abbreviated forms — each one dict lookup) and its
n-gram keys (shape bigrams and pinyin-syllable bigrams, rarest first, within a
posting budget), so it never scans the registry; rapidfuzz and the signals of
signals.py then score the short list.

Verdicts:
- ``registered`` — the account is a registry entry: same platform and
  account id, or the exact registered name (Unicode NFC, ends trimmed) on the
  same platform (any platform when none is given) with no conflicting account
  id. A name equal only after normalisation (traditional or variant
  characters, zero-width characters, inserted spaces, 【】) is not: a real
  account shows its registered name exactly, so it is judged by the signals.
- ``impersonation`` — not registered, and the name imitates a registered
  account or its owner: a near-identical signal (identical name on another
  platform or with another account id, decorations, homophones, look-alike
  characters, pinyin in Latin letters, the owner's name), or a partial one
  (containment, one character added/dropped, reordering) on a name that claims
  a government identity (发布, 公安, 人社 …).
- ``clear`` — neither (上海美食地图).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter

from rapidfuzz import fuzz

from audit.impersonation.facts import account_facts
from audit.impersonation.keyindex import BY_ID, BY_NORM, EXACT, GRAM, DiskIndex, MemoryIndex, id_key
from audit.impersonation.places import Gazetteer
from audit.impersonation.signals import Assessment, assess
from audit.registry.matching import NAME_KEY_PREFIX
from core.errors import BadInputError
from core.models import Account, RegistryEntry
from core.names.keys import MIN_FUZZY_LEN, NameKeys, exact_keys, gram_keys, name_keys

VERDICTS = ("registered", "impersonation", "clear")
SHORTLIST = 24  # n-gram candidates scored per query
POSTING_BUDGET = 6000  # postings read per query before the commonest grams are skipped
MAX_CANDIDATES = 5  # candidates reported
CLEAR_FLOOR = 0.5  # similarity below which a non-signalling entry is not reported
PREFILTER = 0.4  # n-gram candidates less similar than this are not scored (a 2-of-4 mixed imitation is 0.5)


@dataclass
class Candidate:
    """A registry entry the query resembles, with why."""

    name: str
    platform: str
    owner: str
    score: float
    reasons: list[str] = field(default_factory=list)
    account_id: str = ""
    registry_no: str = ""

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of DESIGN.md: name, platform, owner, score, reasons."""
        return {"name": self.name, "platform": self.platform, "owner": self.owner,
                "score": round(self.score, 3), "reasons": list(self.reasons)}


@dataclass
class CheckResult:
    """The verdict on one name, with ranked candidates (best first)."""

    query: str
    verdict: str
    candidates: list[Candidate] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"query": self.query, "verdict": self.verdict,
                "candidates": [c.as_dict() for c in self.candidates]}


class Matcher:
    """Registry entries indexed for impersonation checks; build once, check many names."""

    def __init__(self, entries: Iterable[RegistryEntry], *, extra_places: Iterable[str] = (),
                 index: MemoryIndex | DiskIndex | None = None, keys: dict[str, NameKeys] | None = None):
        """`index`: the keys of these very entries saved earlier (keycache), instead of computing them.

        `keys`: name → NameKeys shared between matchers built one after another over short lists.
        """
        self.entries: list[RegistryEntry] = entries if isinstance(entries, list) else list(entries)
        self.gazetteer = Gazetteer(extra_places)
        self.index = index if index is not None else MemoryIndex(self.entries, keys)

    def __len__(self) -> int:
        return len(self.entries)

    def close(self) -> None:
        """Close the saved key index's file (a DiskIndex); a MemoryIndex holds nothing to release."""
        if isinstance(self.index, DiskIndex):
            self.index.close()

    def _keys_of(self, raw: str) -> NameKeys:
        return self.index.keys(raw)

    def check(
        self, name: str, platform: str | None = None, account: Account | None = None, *,
        now: datetime | None = None, links: Sequence[str] = (),
    ) -> CheckResult:
        """Verdict and ranked candidates for one name (optionally one crawled account).

        Raises BadInputError when nothing of the name is left after normalisation.
        """
        q = name_keys(name)
        if not q.norm:
            raise BadInputError("name has no letters or digits after normalisation", field="name")
        platform = platform or (account.platform if account else None)
        registered = self._registered(q, platform, account)
        if registered is not None:
            return CheckResult(name, "registered", [registered])
        shortlist = self._shortlist(q)
        self.index.prefetch(raw for i in shortlist for raw in (self.entries[i].name, self.entries[i].owner) if raw)
        scored = [self._candidate(i, q, platform, account, now, links) for i in shortlist]
        flagged = [(c, a) for c, a in scored if a.strong or a.weak]  # weak ones already need a claim
        if flagged:
            best = sorted(flagged, key=_rank)
            return CheckResult(name, "impersonation", [c for c, _ in best[:MAX_CANDIDATES]])
        near = sorted((s for s in scored if s[1].score >= CLEAR_FLOOR), key=_rank)[:MAX_CANDIDATES]
        for cand, found in near:
            cand.reasons.extend(found.notes or [f"similar name ({cand.score:.2f}) but no sign of imitation"])
        return CheckResult(name, "clear", [c for c, _ in near])

    def is_impersonation(self, account: Account, now: datetime | None = None) -> bool:
        """Shortcut for the registry matching of issue 4: does this account imitate the registry?"""
        return self.check(account.name, account.platform, account, now=now).verdict == "impersonation"

    def _registered(self, q: NameKeys, platform: str | None, account: Account | None) -> Candidate | None:
        """The entry this account *is*: its account id, else its exact registered name on its platform.

        Exact means equal after Unicode NFC and trimming the ends (DESIGN.md, `check name`): a name
        equal only after normalisation is left to the signals, which call it impersonation.
        """
        account_id = account.account_id if account else ""
        known_id = bool(account_id) and not account_id.startswith(NAME_KEY_PREFIX)
        if known_id and platform:
            for i in self.index.get(BY_ID, id_key(platform, account_id)):
                return self._as_candidate(i, 1.0, ["same platform and account id as the registry entry"])
        exact = exact_form(q.raw)
        for i in self.index.get(BY_NORM, q.norm):
            entry = self.entries[i]
            if (platform and entry.platform != platform) or exact_form(entry.name) != exact:
                continue
            if known_id and entry.account_id:
                continue  # the registered name, but another account: judged below
            where = f"on {platform}" if platform else f"(registered on {entry.platform}; no platform given)"
            return self._as_candidate(i, 1.0, [f"the exact registered name {where}"])
        return None

    def _shortlist(self, q: NameKeys) -> list[int]:
        """Entries sharing an exact key, plus the best n-gram matches (never the whole registry)."""
        ids: dict[int, None] = {}
        exact = exact_keys(q)
        found = self.index.get_many(EXACT, exact)  # one lookup for all keys; then in the keys' order
        for key in exact:
            ids.update(dict.fromkeys(found.get(key, ())))
        if len(q.core) < MIN_FUZZY_LEN:
            return list(ids)  # n-grams of a two-character name find only accidents
        counts: Counter[int] = Counter()
        budget = POSTING_BUDGET
        grams = gram_keys(q)
        found = self.index.get_many(GRAM, grams)
        for postings in sorted((found.get(k, ()) for k in grams), key=len):
            if not postings or (len(postings) > budget and counts):
                continue
            counts.update(postings)
            budget -= len(postings)
        # n-gram hits far from the query in plain similarity cannot carry any signal; skip them cheaply
        close = (i for i in most_common(counts, SHORTLIST) if fuzz.ratio(q.core, self.index.core(i)) >= PREFILTER * 100)
        ids.update(dict.fromkeys(close))
        return list(ids)

    def _candidate(
        self, i: int, q: NameKeys, platform: str | None, account: Account | None,
        now: datetime | None, links: Sequence[str],
    ) -> tuple[Candidate, Assessment]:
        entry = self.entries[i]
        owner = self._keys_of(entry.owner) if entry.owner else None
        e = self._keys_of(entry.name)
        places = e.forms.places + (owner.forms.places if owner else ())
        found = assess(q, e, owner, places, self.gazetteer)
        if found.strong and q.norm == e.norm:
            if exact_form(q.raw) != exact_form(entry.name):
                found.reasons.insert(0, "not the exact registered name " + repr(entry.name))
            else:
                found.reasons.append(self._identity_note(entry, platform, account))
        if found.strong or found.weak:
            found.reasons.extend(account_facts(account, entry, now, links))
            # the same platform's entry ranks first among equals
            found.score = min(0.98, found.score) + (0.01 if platform == entry.platform else 0.0)
        return self._as_candidate(i, found.score, found.reasons), found

    def _identity_note(self, entry: RegistryEntry, platform: str | None, account: Account | None) -> str:
        """Why an identical name is still not that entry: another platform, or another account id."""
        if platform and entry.platform != platform:
            on_platform = [j for j in self.index.get(BY_NORM, self._keys_of(entry.name).norm)
                           if self.entries[j].platform == platform]
            suffix = "" if on_platform else f", not on {platform}"
            return f"this name is registered on {entry.platform}{suffix}"
        acc_id = account.account_id if account else "?"
        return f"account id {acc_id} differs from the registered id {entry.account_id}"

    def _as_candidate(self, i: int, score: float, reasons: list[str]) -> Candidate:
        e = self.entries[i]
        return Candidate(name=e.name, platform=e.platform, owner=e.owner, score=round(score, 3),
                         reasons=reasons, account_id=e.account_id, registry_no=e.registry_no)


def most_common(counts: Counter[int], n: int) -> list[int]:
    """The ids of Counter.most_common(n), ties in first-seen order as there, without its Python heap
    loop over every counted id: only ids counted at least as often as the n-th are sorted (in C)."""
    if len(counts) <= n:
        return [i for i, _ in sorted(counts.items(), key=itemgetter(1), reverse=True)]
    floor = sorted(counts.values(), reverse=True)[n - 1]
    top = [(i, c) for i, c in counts.items() if c >= floor]  # first-seen order kept: sorted() is stable
    return [i for i, _ in sorted(top, key=itemgetter(1), reverse=True)[:n]]


def exact_form(name: str) -> str:
    """The registered-name identity: Unicode NFC with the ends trimmed, nothing else forgiven."""
    return unicodedata.normalize("NFC", name).strip()


def _rank(item: tuple[Candidate, Assessment]) -> tuple[float, str, str]:
    cand, _ = item
    return (-cand.score, cand.platform, cand.name)
