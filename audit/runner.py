"""Run the account rules over the store and save their findings (deterministic for --as-of).

Same store, same registry and same `as_of` give the same findings: nothing
reads the clock, subjects are visited in a fixed order, and findings that
disappear are marked resolved (复查), never deleted.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any, cast

from audit.calendar import WorkCalendar
from audit.catalog import account_rules
from audit.impersonation.keycache import cache_dir_of
from audit.phases import PhaseClock
from audit.registry.matching import RegistryIndex
from audit.registry.subjects import collect_subjects
from audit.registry.verdicts import audit_matcher
from audit.rules.activity import readable
from audit.rules.base import AccountRule, AuditContext
from core.config import Settings
from core.models import Finding
from index.base import AccountActivity, Backend, FindingsDelta

log = logging.getLogger(__name__)


def default_rules(matcher: Any = None) -> list[AccountRule]:
    """The account rules an audit runs: those of audit/catalog.py, in its (report) order.

    `matcher` is the audit's impersonation Matcher over the registry (see
    build_context); without one the impersonation rule is left out, loudly.
    """
    rules: list[AccountRule] = []
    for spec in account_rules():
        if not spec.needs_matcher:
            rules.append(spec.check())
        elif matcher is None:
            log.warning("no impersonation matcher given: audit runs without %s", spec.id)
        else:
            rules.append(UnlessRegistered(spec.check(matcher=cast(Any, matcher))))
    return rules


class UnlessRegistered:
    """Runs `rule` only on subjects the registry does not match.

    A registered account is never an impersonation (shared definitions), and
    asking the Matcher about 90,000 registered accounts costs seconds.
    """

    needs_matcher = True  # built with the audit's matcher (audit/catalog.py)

    def __init__(self, rule: AccountRule):
        self.rule = rule
        self.rule_id = rule.rule_id
        self.kind = rule.kind

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterable[Finding]:
        if ctx.match_for(activity.account).registered:
            return ()
        return self.rule.evaluate(activity, ctx)


@dataclass
class AuditSummary:
    as_of: datetime
    accounts: int = 0
    unreadable: int = 0  # stored accounts whose posts could not be read: no activity verdict for them
    by_kind: Counter[str] = field(default_factory=Counter)
    delta: FindingsDelta = field(default_factory=FindingsDelta)
    provisional_years: list[int] = field(default_factory=list)  # working days guessed without official 调休
    phases: PhaseClock = field(default_factory=PhaseClock)  # wall and CPU seconds per phase of the run


def build_context(backend: Backend, settings: Settings, as_of: datetime) -> tuple[AuditContext, list]:
    """The audit context (registry, matches, calendar, listings, matcher) and the uncrawled subjects.

    The matcher opens the registry's saved key index on first use (audit.registry.verdicts).
    """
    entries = list(backend.iter_registry())
    subjects = collect_subjects(backend, RegistryIndex(entries))
    terms = settings.content.get("government_terms", ())
    ctx = AuditContext(
        as_of=as_of, thresholds=settings.rules, matches=subjects.matches, registry=entries,
        calendar=WorkCalendar(settings.calendar), listed=subjects.listed,
        matcher=audit_matcher(entries, as_of, cache_dir_of(backend), backend,
                              subjects.unmatched),
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
    """Evaluate every rule on every subject as of `as_of`; store the findings.

    One pass: each subject's activity is judged as it streams from the store
    and then dropped, so memory holds the findings, not every account's activity.
    """
    clock = PhaseClock()
    # asked for first: a SQLite store starts its scan over the posts now, on a thread, so its wait
    # for the disk overlaps the registry phase (index.sqlite_reads.ActivityReader)
    activities = backend.account_activity(as_of, activity_window(settings))
    ctx = None
    try:
        with clock.phase("registry and subjects"):
            ctx, uncrawled = build_context(backend, settings, as_of)
        return _run(backend, settings, ctx, chain(activities, uncrawled), rules, clock)
    finally:  # the matcher's key index is a file, its worker a process: closed now, even when the audit failed
        if ctx is not None and ctx.matcher is not None:
            ctx.matcher.close()
        _close(activities)
        if getattr(activities, "spent", None):  # the thread's own time: not in the phases above
            clock.add("activity scan: reading thread", *activities.spent)  # type: ignore[attr-defined]


def _close(activities: Iterable[AccountActivity]) -> None:
    close = getattr(activities, "close", None)
    if close is not None:
        close()


def _run(backend: Backend, settings: Settings, ctx: AuditContext, activities: Iterable[AccountActivity],
         rules: Sequence[AccountRule] | None, clock: PhaseClock) -> AuditSummary:
    as_of = ctx.as_of
    rules = list(rules) if rules is not None else default_rules(ctx.matcher)
    summary = AuditSummary(as_of=as_of, phases=clock)
    findings: list[Finding] = []
    stream = clock.timed("activity scan", activities)
    with clock.phase("rules"):
        for activity in stream:
            summary.accounts += 1
            if activity.account.state != "not_crawled" and not readable(activity):
                summary.unreadable += 1
            _evaluate(rules, activity, ctx, findings, summary)
    if ctx.matcher is not None:
        ctx.matcher.close()  # no more checks: the worker process ends before the findings are saved
    clock.subtract("rules", "activity scan")  # the loop's time, less the store's part of it
    if getattr(ctx.matcher, "waited", 0.0):
        clock.add("rules: waiting for the worker", ctx.matcher.waited, 0.0)
    with clock.phase("save findings"):
        summary.delta = backend.save_findings(findings, rule_ids=[r.rule_id for r in rules], as_of=as_of)
    summary.provisional_years = sorted(ctx.calendar.provisional_years) if ctx.calendar else []
    log.info("audit as of %s: %d subjects (%d unreadable), findings %s", as_of, summary.accounts,
             summary.unreadable, dict(summary.by_kind))
    return summary


def _evaluate(rules: Sequence[AccountRule], activity: AccountActivity, ctx: AuditContext,
              findings: list[Finding], summary: AuditSummary) -> None:
    for rule in rules:
        for finding in rule.evaluate(activity, ctx):
            findings.append(finding)
            summary.by_kind[finding.kind] += 1
