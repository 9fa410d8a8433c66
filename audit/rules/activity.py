"""Rules about whether an account is updated: dormant (休眠)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from audit.rules.base import AuditContext, account_finding
from govwatch.models import Finding
from index.base import AccountActivity

# Accounts we could not read say nothing about activity; other rules report them.
UNREADABLE_STATES = ("missing", "needs_credentials")


class DormantRule:
    """No non-pinned post in the `dormant_days` before the check time (veto).

    "监测时间点前2周内无更新": a post exactly `dormant_days` before the check
    time still counts as inside the window.
    """

    rule_id = "account.dormant"
    kind = "dormant"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        if activity.account.state in UNREADABLE_STATES or activity.posts_total == 0:
            return  # zero posts is an empty shell, not a dormant account
        window_start = ctx.as_of - timedelta(days=ctx.thresholds.dormant_days)
        last = activity.last_post_at
        if last is None or last < window_start:
            days = (ctx.as_of - last).days if last else None
            yield account_finding(
                self, activity, ctx, "veto",
                last_post_at=last.isoformat(sep=" ") if last else None,
                days_since_last_post=days,
                window_days=ctx.thresholds.dormant_days,
            )
