"""One way to build a finding about a page, for every content rule and probe."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.models import Finding


def page_finding(
    url: str, kind: str, rule: str, severity: str, as_of: datetime, version: str, evidence: dict[str, Any]
) -> Finding:
    """A finding on the page at `url`; its evidence always names the url and the check time."""
    return Finding(
        kind=kind,
        severity=severity,
        subject_type="page",
        subject_key=url,
        rule_id=rule,
        ruleset_version=version,
        detected_at=as_of,
        evidence={"url": url, "as_of": as_of.isoformat(sep=" "), **evidence},
    )
