"""Second looks that need HTTP after a crawl: user-agent cloaking and clones of government sites.

- Cloaking: a compromised server shows gambling text only to search-engine
  crawlers. Each stored page is fetched again as Baiduspider and compared with
  the stored copy (`audit.content.spam.cloaking`).
- Clones: government pages that link off-site are followed one hop; a target
  that claims to be a government site but is served from a host that is neither
  configured nor a government domain is a clone (`SpamInspector`).
Both store `spam_injection` findings (veto) under their own rule ids.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import httpx

from audit.content.spam import SpamInspector, cloaking
from audit.content.textmap import decode
from core.config import Settings
from core.models import Finding
from crawler.linkcheck import BROWSER_UA, SPIDER_UA
from index.base import Backend

log = logging.getLogger(__name__)

CLOAKING_RULE = "content.ua_cloaking"
CLONE_RULE = "content.clone"


@dataclass
class ProbeSummary:
    pages: int = 0
    offsite_links: int = 0
    errors: int = 0
    findings: dict[str, int] = field(default_factory=dict)


def _allowed(url: str, only_hosts: Collection[str] | None) -> bool:
    return only_hosts is None or urlsplit(url).hostname in only_hosts


def _get(client: httpx.Client, url: str, user_agent: str, summary: ProbeSummary) -> str | None:
    try:
        response = client.get(url, headers={"User-Agent": user_agent})
    except httpx.HTTPError as exc:
        summary.errors += 1
        log.info("probe %s: %s", url, exc)
        return None
    return decode(response.content)[0] if response.status_code == 200 else None


def _finding(url: str, rule: str, as_of: datetime, version: str, evidence: dict) -> Finding:
    return Finding(
        kind="spam_injection",
        severity="veto",
        subject_type="page",
        subject_key=url,
        rule_id=rule,
        ruleset_version=version,
        detected_at=as_of,
        evidence={"url": url, "as_of": as_of.isoformat(sep=" "), **evidence},
    )


def cloaking_findings(
    backend: Backend,
    client: httpx.Client,
    as_of: datetime,
    version: str,
    summary: ProbeSummary,
    only_hosts: Collection[str] | None,
) -> Iterator[Finding]:
    """Pages whose copy for a search-engine crawler carries spam the stored (browser) copy does not."""
    for page in backend.iter_pages():
        if not page.html or not _allowed(page.url, only_hosts):
            continue
        summary.pages += 1
        spider_copy = _get(client, page.url, SPIDER_UA, summary)
        evidence = cloaking(page.html, spider_copy, page.url) if spider_copy else None
        if evidence is not None:
            yield _finding(
                page.url, CLOAKING_RULE, as_of, version, {"title": page.title, "evidence": [vars(evidence)]}
            )


def clone_findings(
    backend: Backend,
    client: httpx.Client,
    inspector: SpamInspector,
    as_of: datetime,
    version: str,
    summary: ProbeSummary,
    only_hosts: Collection[str] | None,
) -> Iterator[Finding]:
    """Off-site link targets of government pages that present themselves as a government site."""
    seen: set[str] = set()
    for page_url, link in backend.iter_links():
        target = link.url
        if target in seen or inspector.is_own(target) or not _allowed(target, only_hosts):
            continue
        seen.add(target)
        summary.offsite_links += 1
        body = _get(client, target, BROWSER_UA, summary)
        report = inspector.inspect(body, target) if body else None
        clones = [vars(e) for e in report.evidence if e.kind == "clone"] if report else []
        if clones:
            yield _finding(target, CLONE_RULE, as_of, version, {"linked_from": page_url, "evidence": clones})


def run_probes(
    backend: Backend,
    settings: Settings,
    as_of: datetime,
    only_hosts: Collection[str] | None = None,
    timeout: float = 10.0,
) -> ProbeSummary:
    """Run both probes over the store and save their findings (resolving those no longer seen)."""
    summary = ProbeSummary()
    version = settings.rules.ruleset_version
    inspector = SpamInspector(settings.sources.gov_sites, settings.gov_domains)
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        found = [
            *cloaking_findings(backend, client, as_of, version, summary, only_hosts),
            *clone_findings(backend, client, inspector, as_of, version, summary, only_hosts),
        ]
    backend.save_findings(found, rule_ids=(CLOAKING_RULE, CLONE_RULE), as_of=as_of)
    for f in found:
        summary.findings[f.rule_id] = summary.findings.get(f.rule_id, 0) + 1
    log.info(
        "probes: %d pages re-fetched as a crawler, %d off-site links, findings %s",
        summary.pages,
        summary.offsite_links,
        summary.findings,
    )
    return summary
