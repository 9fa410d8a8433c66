"""Second looks after a crawl, judged: user-agent cloaking and clones of government sites.

- Cloaking: a compromised server shows gambling text only to search-engine
  crawlers. Each stored page is fetched again as Baiduspider and compared with
  the stored copy (`cloaking_evidence`, also used by `govwatch check page`).
- Clones: government pages that link off-site are followed one hop; a target
  that claims to be a government site but is served from a host that is neither
  configured nor a government domain is a clone (`SpamInspector`).
Both store `spam_injection` findings (veto) under their own rule ids. The
fetching is passed in (crawler/probes.py does it over HTTP), so audit/ knows
nothing of HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from audit.content.findings import page_finding
from audit.content.spam import Evidence, SpamInspector, cloaking
from core.config import Settings
from core.models import Finding
from index.base import Backend

log = logging.getLogger(__name__)

CLOAKING_RULE = "content.ua_cloaking"
CLONE_RULE = "content.clone"


class Fetch(Protocol):
    """Fetches a page as a browser (or a search-engine crawler): its decoded text if it answered 200."""

    errors: int  # fetches that failed (timeouts, refused connections)

    def __call__(self, url: str, *, spider: bool = False) -> str | None: ...


@dataclass
class ProbeSummary:
    pages: int = 0
    offsite_links: int = 0
    errors: int = 0
    findings: dict[str, int] = field(default_factory=dict)


def cloaking_evidence(browser_copy: str, url: str, fetch: Fetch) -> Evidence | None:
    """The cloaking check: spam in the copy a search-engine crawler gets that the browser copy lacks.

    A failed second fetch is no evidence (None).
    """
    spider_copy = fetch(url, spider=True)
    return cloaking(browser_copy, spider_copy, url) if spider_copy else None


def _allowed(url: str, only_hosts: Collection[str] | None) -> bool:
    return only_hosts is None or urlsplit(url).hostname in only_hosts


def cloaking_findings(
    backend: Backend, fetch: Fetch, as_of: datetime, version: str, summary: ProbeSummary,
    only_hosts: Collection[str] | None,
) -> Iterator[Finding]:
    """Pages whose copy for a search-engine crawler carries spam the stored (browser) copy does not."""
    for page in backend.iter_pages():
        if not page.html or not _allowed(page.url, only_hosts):
            continue
        summary.pages += 1
        if (evidence := cloaking_evidence(page.html, page.url, fetch)) is not None:
            yield page_finding(page.url, "spam_injection", CLOAKING_RULE, "veto", as_of, version,
                               {"title": page.title, "evidence": [vars(evidence)]})


def clone_findings(
    backend: Backend, fetch: Fetch, inspector: SpamInspector, as_of: datetime, version: str,
    summary: ProbeSummary, only_hosts: Collection[str] | None,
) -> Iterator[Finding]:
    """Off-site link targets of government pages that present themselves as a government site."""
    seen: set[str] = set()
    for page_url, link in backend.iter_links():
        target = link.url
        if target in seen or inspector.is_own(target) or not _allowed(target, only_hosts):
            continue
        seen.add(target)
        summary.offsite_links += 1
        body = fetch(target)
        report = inspector.inspect(body, target) if body else None
        clones = [vars(e) for e in report.evidence if e.kind == "clone"] if report else []
        if clones:
            yield page_finding(target, "spam_injection", CLONE_RULE, "veto", as_of, version,
                               {"linked_from": page_url, "evidence": clones})


def run_probes(
    backend: Backend, settings: Settings, as_of: datetime, fetch: Fetch, only_hosts: Collection[str] | None = None,
) -> ProbeSummary:
    """Run both probes over the store and save their findings (resolving those no longer seen)."""
    summary = ProbeSummary()
    version = settings.rules.ruleset_version
    inspector = SpamInspector(settings.sources.gov_sites, settings.gov_domains)
    found = [
        *cloaking_findings(backend, fetch, as_of, version, summary, only_hosts),
        *clone_findings(backend, fetch, inspector, as_of, version, summary, only_hosts),
    ]
    summary.errors = fetch.errors
    backend.save_findings(found, rule_ids=(CLOAKING_RULE, CLONE_RULE), as_of=as_of)
    for f in found:
        summary.findings[f.rule_id] = summary.findings.get(f.rule_id, 0) + 1
    log.info(
        "probes: %d pages re-fetched as a crawler, %d off-site links, findings %s",
        summary.pages, summary.offsite_links, summary.findings,
    )  # fmt: skip
    return summary
