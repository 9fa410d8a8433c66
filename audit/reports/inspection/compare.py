"""This period against the previous one: new problems, resolved ones, and 复查 of last period's failures.

A failure of the previous period is "fixed" when the findings still open at
the end of this period no longer fail the account; otherwise it is "still
failing" (an account that could not be checked this time stays failing: no
proof, no clearance).
"""

from __future__ import annotations

from collections.abc import Callable

from audit.reports.inspection.model import AccountScore, Comparison, Problem
from audit.reports.inspection.period import Period
from core.models import Finding


def compare_periods(
    period: Period,
    now_f: list[Finding],
    before_f: list[Finding],
    score_of: Callable[[list[Finding]], list[AccountScore]],
    problem_of: Callable[[Finding, Period], Problem],
) -> Comparison:
    """Compare the findings of `period` with those of the period before it."""
    previous = period.previous()
    before_ids = {f.identity for f in before_f}
    out = Comparison(previous=previous.label)
    out.new = [problem_of(f, period) for f in now_f if f.identity not in before_ids]
    out.resolved = [problem_of(f, period) for f in before_f
                    if f.resolved_at is not None and f.resolved_at < period.until]
    before_scores = score_of(before_f)
    failed_before = [s for s in before_scores if s.failed]
    if before_f and before_scores:  # no finding at all: no audit ran then, so no rate to compare
        out.previous_pass_rate = sum(not s.failed for s in before_scores) / len(before_scores)
    open_at_end = [f for f in now_f if f.resolved_at is None or f.resolved_at >= period.until]
    now_scores = {s.key: s for s in score_of(open_at_end)}
    for old in failed_before:
        current = now_scores.get(old.key)
        if current is not None and not current.failed:
            out.recheck_fixed.append(current)
        else:
            out.recheck_failing.append(current or old)
    return out
