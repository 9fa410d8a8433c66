"""What every account rule looks like, and the context an audit passes to it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from audit.calendar import WorkCalendar
from audit.names import normalise_name
from audit.registry.matching import NO_MATCH, RegistryMatch
from core.config import RuleThresholds
from core.models import Account, Finding, RegistryEntry, account_key
from index.base import AccountActivity


@dataclass
class AuditContext:
    """Everything a rule may consult besides the account itself.

    The runner fills every field; a test may leave out what its rule does not
    need (no registry means every account is unmatched).
    """

    as_of: datetime
    thresholds: RuleThresholds
    extra: dict[str, Any] = field(default_factory=dict)  # for rules added later
    matches: dict[str, RegistryMatch] = field(default_factory=dict)  # subject key -> registry match
    registry: list[RegistryEntry] = field(default_factory=list)
    calendar: WorkCalendar | None = None
    listed: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (platform, norm name) -> page URLs
    matcher: Any = None  # audit.impersonation.Matcher over `registry`, when that package is installed
    government_terms: tuple[str, ...] = ()  # extra body names for "looks official" (config [content])
    _duplicates: dict[str, list[RegistryEntry]] | None = field(default=None, repr=False)

    def match_for(self, account: Account) -> RegistryMatch:
        """The registry match of `account` (NO_MATCH when the runner found none)."""
        return self.matches.get(account_key(account.platform, account.account_id), NO_MATCH)

    def is_primary(self, account: Account) -> bool:
        """A registered primary account (是否主账号) whose registry entry is active."""
        entry = self.match_for(account).entry
        return entry is not None and entry.is_primary and entry.status == "active"

    def duplicate_groups(self) -> dict[str, list[RegistryEntry]]:
        """Entry key -> all active entries of the same owner on the same platform, where there are several."""
        if self._duplicates is None:
            groups: dict[tuple[str, str], list[RegistryEntry]] = defaultdict(list)
            for entry in self.registry:
                owner = normalise_name(entry.owner)
                if entry.status == "active" and owner:
                    groups[(owner, entry.platform)].append(entry)
            self._duplicates = {e.key: group for group in groups.values() if len(group) > 1 for e in group}
        return self._duplicates


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
