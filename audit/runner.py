"""Run the account rules over the store and save their findings (deterministic for --as-of)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from audit.rules.activity import DormantRule
from audit.rules.base import AccountRule, AuditContext
from govwatch.config import Settings
from govwatch.models import Finding
from index.base import Backend, FindingsDelta

log = logging.getLogger(__name__)


def default_rules() -> list[AccountRule]:
    """The account rules an audit runs, in report order."""
    return [DormantRule()]


@dataclass
class AuditSummary:
    as_of: datetime
    accounts: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    delta: FindingsDelta = field(default_factory=FindingsDelta)


def run_audit(
    backend: Backend, settings: Settings, as_of: datetime, rules: Sequence[AccountRule] | None = None
) -> AuditSummary:
    """Evaluate every rule on every stored account as of `as_of`; store the findings."""
    rules = list(rules) if rules is not None else default_rules()
    ctx = AuditContext(as_of=as_of, thresholds=settings.rules)
    summary = AuditSummary(as_of=as_of)
    findings: list[Finding] = []
    window = max(settings.rules.dormant_days, settings.rules.original_window_days, 31)
    for activity in backend.account_activity(as_of, window):
        summary.accounts += 1
        for rule in rules:
            for finding in rule.evaluate(activity, ctx):
                findings.append(finding)
                summary.by_kind[finding.kind] += 1
    summary.delta = backend.save_findings(findings, rule_ids=[r.rule_id for r in rules], as_of=as_of)
    log.info("audit as of %s: %d accounts, findings %s", as_of, summary.accounts, dict(summary.by_kind))
    return summary
