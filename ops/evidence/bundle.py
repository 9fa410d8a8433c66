"""Everything that proves one finding: its URL and fetch time, stored snapshots and screenshots, and facts.

For an account finding the facts are the ones behind the verdict: the last
post, the days silent, and the registry entry that matched it (or that none
did). Snapshots are looked up by the finding's subject — the page URL, or
the "platform:account_id" the crawler recorded each response under.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from audit.registry.matching import RegistryIndex
from core.models import Finding
from index.base import Backend
from ops.evidence.store import EvidenceStore

SHOWN = 5


def find_finding(backend: Backend, rule_id: str, subject_key: str) -> Finding | None:
    """The finding of `rule_id` on `subject_key`: the open one, else the latest resolved one."""
    found = [f for f in backend.list_findings(status=None, subject_key=subject_key) if f.rule_id == rule_id]
    found.sort(key=lambda f: (f.status == "open", f.detected_at or datetime.min))
    return found[-1] if found else None


def evidence_bundle(backend: Backend, store: EvidenceStore, finding: Finding, blob_base: str = "") -> dict[str, Any]:
    """The finding, its facts, and links to the stored bytes (`blob_base` + /evidence/blob/<sha>)."""
    subject = finding.subject_key
    if finding.subject_type == "page":
        snapshots = store.find(url=subject, kind="response", limit=SHOWN)
        shots = store.find(url=subject, kind="screenshot", limit=SHOWN)
    else:
        snapshots = store.find(subject=subject, kind="response", limit=SHOWN)
        shots = store.find(subject=subject, kind="screenshot", limit=SHOWN)
    first = snapshots[0] if snapshots else None
    return {
        "finding": {"kind": finding.kind, "severity": finding.severity, "rule_id": finding.rule_id,
                    "ruleset_version": finding.ruleset_version, "subject_type": finding.subject_type,
                    "subject_key": subject, "status": finding.status, "evidence": finding.evidence,
                    "detected_at": _iso(finding.detected_at), "resolved_at": _iso(finding.resolved_at)},
        "url": finding.evidence.get("url") or (subject if finding.subject_type == "page" else ""),
        "fetched_at": first.fetched_at.isoformat(sep=" ") if first else None,
        "snapshots": [_link(s.as_dict(), blob_base) for s in snapshots],
        "screenshots": [_link(s.as_dict(), blob_base) for s in shots],
        "facts": account_facts(backend, finding) if finding.subject_type == "account" else {},
    }


def account_facts(backend: Backend, finding: Finding) -> dict[str, Any]:
    """Last post, days silent and the registry entry (or None: the account is not registered)."""
    platform, _, account_id = finding.subject_key.partition(":")
    account = backend.get_account(platform, account_id)
    ev = finding.evidence
    last = account.last_post_at if account else None
    as_of = finding.detected_at
    days = ev.get("days_since_last_post")
    if days is None and last is not None and as_of is not None:
        days = (as_of - last).days
    entries = list(backend.iter_registry(platform))
    name = account.name if account else str(ev.get("name", ""))
    match = RegistryIndex(entries).match(platform, account_id, name)
    entry = match.entry if match.registered else None
    return {
        "name": name, "state": account.state if account else "unknown",
        "last_post_at": ev.get("last_post_at") or _iso(last), "days_silent": days,
        "followers": account.followers if account else None, "posts_count": account.posts_count if account else None,
        "registry_entry": None if entry is None else {
            "registry_no": entry.registry_no, "name": entry.name, "owner": entry.owner,
            "supervisor": entry.supervisor, "is_primary": entry.is_primary, "status": entry.status},
        "registry_match": match.how,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(sep=" ") if value else None


def _link(snapshot: dict[str, Any], base: str) -> dict[str, Any]:
    return {**snapshot, "href": f"{base}/evidence/blob/{snapshot['sha256']}"}
