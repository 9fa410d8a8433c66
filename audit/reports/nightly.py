"""The nightly list of unregistered accounts (未备案账号日报), built from the open findings."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from audit.registry.matching import NAME_KEY_PREFIX
from core.errors import BadInputError
from core.models import Account, Finding
from index.base import Backend

log = logging.getLogger(__name__)
SIMILAR_SHOWN = 3

COLUMNS = ("platform", "account_id", "name", "url", "verified_reason", "found_via", "first_seen_on",
           "first_seen_at", "flagged_at", "reasons", "most_similar_registered")


def nightly_unregistered(backend: Backend) -> list[dict[str, Any]]:
    """One row per open unregistered finding, sorted by platform and name.

    "Most similar registered accounts" are the candidates audit.impersonation's
    Matcher gave the audit (stored in the finding's evidence); for findings
    the audit could not check, a Matcher over today's registry is built here.
    """
    findings = backend.list_findings(kind="unregistered", status="open")
    unchecked = any(f.evidence.get("similar_registered") is None for f in findings)
    matcher = _matcher(backend) if unchecked else None
    try:
        rows = [_row(f, backend, matcher) for f in findings]
    finally:
        if matcher is not None:
            matcher.close()
    return sorted(rows, key=lambda r: (r["platform"], r["name"], r["account_id"]))


def _row(finding: Finding, backend: Backend, matcher: Any) -> dict[str, Any]:
    platform, _, account_id = finding.subject_key.partition(":")
    ev = finding.evidence
    acc = None if account_id.startswith(NAME_KEY_PREFIX) else backend.get_account(platform, account_id)
    name = acc.name if acc else ev.get("name") or account_id.removeprefix(NAME_KEY_PREFIX)
    first_seen = acc.first_seen if acc and acc.first_seen else finding.detected_at
    return {
        "platform": platform,
        "account_id": "" if account_id.startswith(NAME_KEY_PREFIX) else account_id,
        "name": name,
        "url": (acc.url if acc else "") or ev.get("url", ""),
        "verified_reason": acc.verified_reason if acc else ev.get("verified_reason", ""),
        "found_via": acc.found_via if acc else ev.get("found_via", ""),
        "first_seen_on": (acc.found_on if acc else "") or ev.get("found_on", ""),
        "first_seen_at": _when(first_seen),
        "flagged_at": _when(finding.detected_at),
        "reasons": list(ev.get("reasons", [])),
        "most_similar_registered": _similar(ev, matcher, name, platform, acc),
    }


def _when(value: datetime | None) -> str:
    return value.isoformat(sep=" ") if value else ""


def _matcher(backend: Backend) -> Any:
    try:
        from audit.impersonation.indexed import registry_matcher
    except ImportError as exc:
        log.warning("impersonation matcher not available (%s): similar accounts come from the audit", exc)
        return None
    return registry_matcher(backend)


def _similar(ev: dict[str, Any], matcher: Any, name: str, platform: str, acc: Account | None) -> list[dict[str, Any]]:
    if ev.get("similar_registered") is not None:
        return list(ev["similar_registered"])
    if matcher is None:
        return []
    try:
        check = matcher.check(name, platform=platform, account=acc)
    except BadInputError:
        return []
    return [
        {"name": c.name, "platform": c.platform, "owner": c.owner, "score": round(float(c.score), 3)}
        for c in list(check.candidates)[:SIMILAR_SHOWN]
    ]
