"""Run the account rules over the store and save their findings (deterministic for --as-of).

Same store, same registry and same `as_of` give the same findings: nothing
reads the clock, subjects are visited in a fixed order, and findings that
disappear are marked resolved (复查), never deleted.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any, cast

from audit.calendar import WorkCalendar
from audit.registry.matching import RegistryIndex
from audit.registry.subjects import collect_subjects
from audit.rules.activity import (
    DormantRule,
    EmptyShellRule,
    NoOriginalRule,
    SevereZombieRule,
    WeeklyCadenceRule,
    ZombieRule,
    readable,
)
from audit.rules.base import AccountRule, AuditContext
from audit.rules.cadence import PrimaryCadenceRule
from audit.rules.registry import (
    ClosedButAliveRule,
    DuplicatePlatformRule,
    RegistryAmbiguousRule,
    UnregisteredRule,
)
from audit.rules.status import MissingRule, NoInteractionRule
from govwatch.config import Settings
from govwatch.models import Finding, RegistryEntry
from index.base import Backend, FindingsDelta

log = logging.getLogger(__name__)


def default_rules(matcher: Any = None) -> list[AccountRule]:
    """The account rules an audit runs, in report order.

    `matcher` is the audit's impersonation Matcher over the registry (see
    build_context); without one the impersonation rule is left out, loudly.
    """
    rules: list[AccountRule] = [
        DormantRule(), ZombieRule(), SevereZombieRule(), EmptyShellRule(), PrimaryCadenceRule(),
        WeeklyCadenceRule(), NoOriginalRule(), UnregisteredRule(),
    ]
    impersonation = _impersonation_rule(matcher)
    if impersonation is not None:
        rules.append(impersonation)
    rules += [DuplicatePlatformRule(), ClosedButAliveRule(), NoInteractionRule(), MissingRule(),
              RegistryAmbiguousRule()]
    return rules


def _impersonation_rule(matcher: Any) -> AccountRule | None:
    try:
        from audit.impersonation.rule import ImpersonationRule
    except ImportError as exc:
        log.warning("impersonation rule not available (%s): audit runs without it", exc)
        return None
    if matcher is None:
        log.warning("no impersonation matcher given: audit runs without the impersonation rule")
        return None
    rule: AccountRule = ImpersonationRule(matcher=cast(Any, matcher))
    return rule


def _matcher(entries: list[RegistryEntry]) -> Any:
    try:
        from audit.impersonation import Matcher
    except ImportError as exc:
        log.warning("impersonation matcher not available (%s): unregistered accounts are not "
                    "checked for impersonation and reports list no similar accounts", exc)
        return None
    return RememberingMatcher(Matcher(entries))


class RememberingMatcher:
    """The audit's Matcher, remembering its last answer.

    The unregistered rule and the impersonation rule ask about the same
    account one after the other; the check is the costliest step of an audit,
    so the second asker gets the first answer.
    """

    def __init__(self, matcher: Any):
        self.matcher = matcher
        self._last: tuple[tuple[Any, ...], Any] | None = None

    def __len__(self) -> int:
        return len(self.matcher)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.matcher, name)

    def check(self, name: str, platform: str | None = None, account: Any = None, *,
              now: datetime | None = None, links: Sequence[str] = ()) -> Any:
        key = (name, platform, id(account), now, tuple(links))
        if self._last is not None and self._last[0] == key and self._last[1][0] is account:
            return self._last[1][1]
        result = self.matcher.check(name, platform, account, now=now, links=links)
        self._last = (key, (account, result))
        return result


@dataclass
class AuditSummary:
    as_of: datetime
    accounts: int = 0
    unreadable: int = 0  # stored accounts whose posts could not be read: no activity verdict for them
    by_kind: Counter[str] = field(default_factory=Counter)
    delta: FindingsDelta = field(default_factory=FindingsDelta)


def build_context(backend: Backend, settings: Settings, as_of: datetime) -> tuple[AuditContext, list]:
    """The audit context (registry, matches, calendar, listings, matcher) and the uncrawled subjects."""
    entries = list(backend.iter_registry())
    subjects = collect_subjects(backend, RegistryIndex(entries))
    terms = settings.content.get("government_terms", ())
    ctx = AuditContext(
        as_of=as_of, thresholds=settings.rules, matches=subjects.matches, registry=entries,
        calendar=WorkCalendar(settings.calendar), listed=subjects.listed, matcher=_matcher(entries),
        government_terms=tuple(terms),
    )
    ctx.extra["registry_entries"] = entries
    return ctx, subjects.uncrawled


def activity_window(settings: Settings) -> int:
    """Days of per-day post history the rules need (primary cadence looks furthest back)."""
    r = settings.rules
    return max(r.dormant_days, r.original_window_days, r.weekly_cadence_days, r.primary_cadence_days + 1, 31)


def run_audit(
    backend: Backend, settings: Settings, as_of: datetime, rules: Sequence[AccountRule] | None = None
) -> AuditSummary:
    """Evaluate every rule on every subject as of `as_of`; store the findings."""
    ctx, uncrawled = build_context(backend, settings, as_of)
    rules = list(rules) if rules is not None else default_rules(ctx.matcher)
    summary = AuditSummary(as_of=as_of)
    findings: list[Finding] = []
    for activity in chain(backend.account_activity(as_of, activity_window(settings)), uncrawled):
        summary.accounts += 1
        if activity.account.state != "not_crawled" and not readable(activity):
            summary.unreadable += 1
        for rule in rules:
            for finding in rule.evaluate(activity, ctx):
                findings.append(finding)
                summary.by_kind[finding.kind] += 1
    summary.delta = backend.save_findings(findings, rule_ids=[r.rule_id for r in rules], as_of=as_of)
    log.info("audit as of %s: %d subjects (%d unreadable), findings %s", as_of, summary.accounts,
             summary.unreadable, dict(summary.by_kind))
    return summary
