"""Typos and wording errors in posts: each account's findings list its posts that hold them.

Posts are read from the store as a stream (Backend.iter_posts) and checked
with the same TypoDetector as pages. The cost is bounded so that a store of
millions of posts does not turn the nightly audit into hours of typo checking:
only posts published in the `[limits] post_check_days` days up to the audit
time are read, and at most `[limits] post_checks` of them per run, newest
first (then by platform and post id, so the same store gives the same answer
and a capped run moves on as new posts arrive instead of re-reading one slice).
A finding is one per account and rule, like the account rules: when the post
is edited, or leaves the checked window, the next audit resolves it (复查).
On a capped run the accounts with posts in the window left unread are listed
in `PostChecks.unchecked`, and their open findings stay as they are; past the
cap the store is asked for those accounts (Backend.post_accounts), not for
the posts and their text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from audit.content.register import officialness
from audit.content.typos import Typo, TypoDetector
from audit.content.variants import simplified_chars
from core.config import Settings
from core.models import Finding, Post, account_key
from index.base import Backend

POST_TYPO_RULE = "content.post_typo"
POST_WORDING_RULE = "content.post_wording_error"
RULE_IDS = (POST_TYPO_RULE, POST_WORDING_RULE)
_RULES = {"typo": (POST_TYPO_RULE, "deduction"), "wording_error": (POST_WORDING_RULE, "veto")}  # kind -> rule
POSTS_SHOWN = 20  # posts quoted per account finding (the count says how many there were)
SENTENCES_KEPT = 200_000  # checked (sentence, day) pairs remembered in one run
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*\n?|\n")  # each sentence keeps its end mark


@dataclass
class PostChecks:
    """What one run of the post checks read and found."""

    checked: int = 0
    capped: bool = False  # more posts were in the window than [limits] post_checks
    findings: list[Finding] = field(default_factory=list)
    unchecked: set[str] = field(default_factory=set)  # account keys with posts in the window left unread


def check_posts(backend: Backend, detector: TypoDetector, settings: Settings, as_of: datetime) -> PostChecks:
    """Typo and wording-error findings on the accounts whose recent posts hold them."""
    limits = settings.limits
    since = as_of - timedelta(days=limits.post_check_days)
    posts = backend.iter_posts(since, as_of, newest_first=True)
    result = PostChecks()
    checker = SentenceChecker(detector)
    hits: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)  # (kind, platform, id) -> posts
    for post in islice(posts, limits.post_checks):
        result.checked += 1
        for kind, found in _post_typos(post, checker).items():
            hits[(kind, post.platform, post.account_id)].append(found)
    result.unchecked = _unread_accounts(backend, posts, since)
    result.capped = bool(result.unchecked)
    result.findings = list(_findings(hits, as_of, settings.rules.ruleset_version))
    return result


def _unread_accounts(backend: Backend, rest: Iterator[Post], since: datetime) -> set[str]:
    """Account keys of the posts past the cap (`rest`, newest first): those accounts were not fully judged.

    Only the posts published in the first unread post's second are read on; the older ones are asked
    of the store as distinct accounts (Backend.post_accounts), without reading the posts' text.
    """
    first = next(rest, None)
    if first is None:
        return set()
    unread = {account_key(first.platform, first.account_id)}
    for post in rest:
        if post.published_at != first.published_at:
            break
        unread.add(account_key(post.platform, post.account_id))
    if isinstance(rest, Generator):
        rest.close()  # ends the store's cursor or scroll now
    unread.update(account_key(*pair) for pair in backend.post_accounts(since, first.published_at))
    return unread


def _post_typos(post: Post, checker: SentenceChecker) -> dict[str, dict[str, Any]]:
    """Per kind, the post and its typos of that kind (empty when the post is clean)."""
    text = "\n".join(part for part in (post.title, post.text) if part)
    published = post.published_at.date() if post.published_at else None
    out: dict[str, dict[str, Any]] = {}
    for typo in checker.check(text, published):
        if typo.kind not in _RULES:
            continue
        entry = out.setdefault(typo.kind, {
            "post_id": post.post_id, "url": post.url,
            "published_at": post.published_at.isoformat(sep=" ") if post.published_at else None, "typos": [],
        })
        entry["typos"].append(typo.as_dict())
    return out


class SentenceChecker:
    """TypoDetector.check sentence by sentence, each distinct (sentence, day) checked once per run.

    Accounts repeat their boilerplate (热线 lines, slogans) and forward the same notices, so most
    sentences of a day's posts were already checked. Offsets are shifted back into the post, and a
    confusion or missing character found for a form the post writes twice is dropped, as check_document
    does for a page (TypoDetector.consistent).
    """

    def __init__(self, detector: TypoDetector):
        self.detector = detector
        self._seen: dict[tuple[str, date | None, float], list[Typo]] = {}

    def check(self, text: str, published: date | None) -> list[Typo]:
        # The bar is set by how official the whole post reads, as check_document does for a page
        # (a short sentence with two administrative words would otherwise count as fully official).
        register = round(officialness(simplified_chars(text)), 2)
        found: list[Typo] = []
        for match in _SENTENCE.finditer(text):
            key = (match.group(), published, register)
            if key not in self._seen:
                if len(self._seen) >= SENTENCES_KEPT:
                    self._seen.clear()
                self._seen[key] = self.detector.check(match.group(), published, register=register)
            found += [replace(t, offset=t.offset + match.start()) for t in self._seen[key]]
        return TypoDetector.consistent(found, text)


def _findings(hits: dict[tuple[str, str, str], list[dict[str, Any]]], as_of: datetime,
              version: str) -> Iterator[Finding]:
    for (kind, platform, account_id), posts in sorted(hits.items()):
        rule, severity = _RULES[kind]
        yield Finding(
            kind=kind, severity=severity, subject_type="account", subject_key=account_key(platform, account_id),
            rule_id=rule, ruleset_version=version, detected_at=as_of,
            evidence={"platform": platform, "account_id": account_id, "as_of": as_of.isoformat(sep=" "),
                      "posts_with_errors": len(posts), "posts": posts[:POSTS_SHOWN]},
        )
