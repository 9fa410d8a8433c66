"""Broken services (服务功能无法使用): link statuses recorded by the link checker, grouped by page.

Statuses are HTTP codes, plus two codes no server sends (core.models), written by
crawler/linkcheck.py: UNREACHABLE (timeout, refused, DNS) and SOFT_404 (a
200 page whose text says the page does not exist). 403, 429 and 418 mean
the server refused *us*: the link is "unverified", never broken.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from audit.content.findings import page_finding
from core.models import LINK_SOFT_404 as SOFT_404
from core.models import LINK_UNREACHABLE as UNREACHABLE
from core.models import Finding, Link

UNVERIFIED = frozenset({401, 403, 418, 429})
RULE_ID = "content.broken_service"


def classify(status: int | None) -> str:
    """'unchecked', 'ok', 'unverified' or 'broken' for a recorded status."""
    if status is None:
        return "unchecked"
    if status in UNVERIFIED:
        return "unverified"
    if 200 <= status < 400:
        return "ok"
    return "broken"


def reason(status: int) -> str:
    """Why a link counts as broken, in an inspector's words."""
    if status == UNREACHABLE:
        return "unreachable (timeout or connection error)"
    if status == SOFT_404:
        return "soft 404 (page says it does not exist)"
    return f"HTTP {status}"


def broken_service_findings(links: Iterable[tuple[str, Link]], as_of: datetime, ruleset_version: str) -> list[Finding]:
    """One deduction finding per page with at least one broken link; unverified links listed beside."""
    pages: dict[str, dict[str, list[dict[str, object]]]] = {}
    for page_url, link in links:
        verdict = classify(link.status)
        if verdict not in ("broken", "unverified"):
            continue
        item: dict[str, object] = {"url": link.url, "text": link.text, "status": link.status}
        if verdict == "broken" and link.status is not None:
            item["reason"] = reason(link.status)
        pages.setdefault(page_url, {"broken": [], "unverified": []})[verdict].append(item)
    return [
        page_finding(page_url, "broken_service", RULE_ID, "deduction", as_of, ruleset_version,
                     {"page": page_url, "broken": groups["broken"], "unverified": groups["unverified"]})
        for page_url, groups in sorted(pages.items()) if groups["broken"]
    ]
