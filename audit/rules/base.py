"""What every account rule looks like, and the context an audit passes to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from govwatch.config import RuleThresholds
from govwatch.models import Finding, account_key
from index.base import AccountActivity


@dataclass
class AuditContext:
    """Everything a rule may consult besides the account itself."""

    as_of: datetime
    thresholds: RuleThresholds
    extra: dict[str, Any] = field(default_factory=dict)  # registry matches, calendar, ...


class AccountRule(Protocol):
    rule_id: str
    kind: str

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterable[Finding]: ...


def account_finding(
    rule: AccountRule, activity: AccountActivity, ctx: AuditContext, severity: str, **evidence: Any
) -> Finding:
    """A finding about `activity.account` stamped with the rule, rule-set version and check time."""
    acc = activity.account
    return Finding(
        kind=rule.kind,
        severity=severity,
        subject_type="account",
        subject_key=account_key(acc.platform, acc.account_id),
        rule_id=rule.rule_id,
        ruleset_version=ctx.thresholds.ruleset_version,
        evidence={"name": acc.name, "url": acc.url, "as_of": ctx.as_of.isoformat(sep=" "), **evidence},
        detected_at=ctx.as_of,
    )
