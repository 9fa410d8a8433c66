"""The content audit: typos, wording errors and injected spam on stored pages, typos in recent posts
(their findings land on the posting account), broken service links.

`run_content_audit(backend, settings, as_of)` is what `govwatch audit` and the
demo call. One finding per page and rule (the store's finding identity), its
evidence listing every hit, so a re-check (复查) resolves it when the page is fixed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from audit.content.findings import page_finding
from audit.content.links import RULE_ID as BROKEN_RULE
from audit.content.links import broken_service_findings
from audit.content.posts import RULE_IDS as POST_RULE_IDS
from audit.content.posts import check_posts
from audit.content.spam import SpamInspector
from audit.content.typos import TypoDetector
from core.config import Settings
from core.models import Finding, Page
from index.base import Backend, FindingsDelta

log = logging.getLogger(__name__)

TYPO_RULE = "content.typo"
WORDING_RULE = "content.wording_error"
SPAM_RULE = "content.spam_injection"
TOO_LARGE_RULE = "content.too_large"
RULE_IDS = (TYPO_RULE, WORDING_RULE, SPAM_RULE, BROKEN_RULE, TOO_LARGE_RULE)  # page rules


@dataclass
class ContentSummary:
    as_of: datetime
    pages: int = 0
    posts: int = 0  # posts typo-checked ([limits] post_check_days, post_checks)
    posts_capped: bool = False  # more posts were in the window than [limits] post_checks
    by_kind: Counter[str] = field(default_factory=Counter)
    delta: FindingsDelta = field(default_factory=FindingsDelta)


def known_names(backend: Backend, settings: Settings) -> set[str]:
    """Names of accounts, owners, supervisors and their places that typo checks must leave alone."""
    names: set[str] = set(settings.content.get("names", []))
    for account in backend.iter_accounts():
        names.add(account.name)
    for entry in backend.iter_registry():
        names.update((entry.name, entry.owner, entry.supervisor))
    for mention in backend.iter_mentions():
        names.add(mention.name)
    return {n for n in names if n and len(n) >= 2}  # TypoDetector adds the places inside them


def page_findings(page: Page, detector: TypoDetector, inspector: SpamInspector, as_of: datetime,
                  version: str, max_bytes: int | None = None) -> Iterator[Finding]:
    """Typo, wording-error and spam findings for one stored page (a page over `max_bytes`: one finding saying so)."""
    size = len((page.html or page.text).encode("utf-8", "replace"))
    if max_bytes is not None and size > max_bytes:
        yield page_finding(page.url, "too_large", TOO_LARGE_RULE, "info", as_of, version,
                           {"title": page.title, "bytes": size, "limit": max_bytes,
                            "reason": "too large to check ([limits] page_bytes)"})  # fmt: skip
        return
    published = page.published_at.date() if page.published_at else None
    typos = detector.check_document(page.text, published)
    for kind, rule, severity in (("typo", TYPO_RULE, "deduction"), ("wording_error", WORDING_RULE, "veto")):
        hits = [t.as_dict() for t in typos if t.kind == kind]
        if hits:
            yield page_finding(page.url, kind, rule, severity, as_of, version, {"title": page.title, "typos": hits})
    report = inspector.inspect(page.html or page.text, page.url)
    if report.compromised:
        yield page_finding(page.url, "spam_injection", SPAM_RULE, "veto", as_of, version,
                           {"title": page.title, **report.as_dict()})


def run_content_audit(backend: Backend, settings: Settings, as_of: datetime,
                      pages: Iterable[Page] | None = None) -> ContentSummary:
    """Check every stored page (or only `pages`), every checked link and the recent posts; save the findings."""
    version = settings.rules.ruleset_version
    detector = TypoDetector(settings.content, known_names(backend, settings))
    inspector = SpamInspector(settings.sources.gov_sites, settings.gov_domains)
    summary = ContentSummary(as_of=as_of)
    findings: list[Finding] = []
    for page in pages if pages is not None else backend.iter_pages():
        summary.pages += 1
        findings.extend(page_findings(page, detector, inspector, as_of, version, settings.limits.page_bytes))
    findings.extend(broken_service_findings(backend.iter_links(), as_of, version))
    rule_ids: tuple[str, ...] = RULE_IDS
    unchecked: set[str] = set()  # accounts a capped post check did not finish: their findings stay open
    if pages is None:  # a run over given pages leaves the post findings as they are
        checked = check_posts(backend, detector, settings, as_of)
        summary.posts, summary.posts_capped = checked.checked, checked.capped
        findings.extend(checked.findings)
        rule_ids += POST_RULE_IDS
        unchecked = checked.unchecked
    summary.by_kind.update(f.kind for f in findings)
    summary.delta = backend.save_findings(findings, rule_ids=rule_ids, as_of=as_of, keep_open=unchecked)
    log.info("content audit as of %s: %d pages, %d posts, findings %s", as_of, summary.pages, summary.posts,
             dict(summary.by_kind))
    return summary
