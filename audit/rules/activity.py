"""Rules about whether an account is updated: dormant (休眠), zombie (僵尸), empty shell (空壳),
weekly cadence and original content.

Shared definitions (DESIGN.md, the sample web's ground truth): only non-pinned
posts count; an N-day window is [as_of − N days, as_of], so a post exactly N
days old is inside it. Empty shells get no dormant, zombie, cadence or
no-original finding: "nothing was ever published" is one problem, not five.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from audit.rules.base import AuditContext, account_finding
from core.models import Finding
from index.base import AccountActivity

# Accounts we could not read say nothing about activity; other rules report them.
# "not_crawled" marks a subject known only from a government page's mention.
UNREADABLE_STATES = ("missing", "needs_credentials", "not_crawled")


def readable(activity: AccountActivity) -> bool:
    """True when the account's posts were read, so silence means silence.

    A profile that reports posts (Weibo's statuses_count) while the store
    holds none means the post crawl failed, not that the account is empty.
    """
    acc = activity.account
    if acc.state in UNREADABLE_STATES:
        return False
    return not (activity.posts_total == 0 and (acc.posts_count or 0) > 0)


def is_empty_shell(activity: AccountActivity) -> bool:
    """Zero (non-pinned) posts, or posts but zero original posts, all time up to the check."""
    return readable(activity) and (activity.posts_total == 0 or activity.originals_total == 0)


def silent_since(last: datetime | None, ctx: AuditContext, days: int) -> bool:
    """No post inside [as_of − days, as_of]."""
    return last is None or last < ctx.as_of - timedelta(days=days)


def is_dormant(activity: AccountActivity, ctx: AuditContext) -> bool:
    """Readable, not an empty shell, and no post in the last `dormant_days`."""
    return (
        readable(activity)
        and not is_empty_shell(activity)
        and silent_since(activity.last_post_at, ctx, ctx.thresholds.dormant_days)
    )


def _when(value: datetime | None) -> str | None:
    return value.isoformat(sep=" ") if value else None


def _days_since(value: datetime | None, ctx: AuditContext) -> int | None:
    return (ctx.as_of - value).days if value else None


def silence(last: datetime | None, ctx: AuditContext, days: int, what: str = "post") -> dict[str, object]:
    """The evidence of a silence: last_<what>_at, days_since_last_<what> and the window checked."""
    return {f"last_{what}_at": _when(last), f"days_since_last_{what}": _days_since(last, ctx), "window_days": days}


class DormantRule:
    """No non-pinned post in the `dormant_days` before the check time (veto).

    "监测时间点前2周内无更新": a post exactly `dormant_days` before the check
    time still counts as inside the window.
    """

    rule_id = "account.dormant"
    kind = "dormant"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        if is_dormant(activity, ctx):
            yield account_finding(
                self, activity, ctx, "veto", **silence(activity.last_post_at, ctx, ctx.thresholds.dormant_days)
            )


class ZombieRule:
    """No post for `zombie_days` (veto, recommend closure: "超过三个月未更新")."""

    rule_id = "account.zombie"
    kind = "zombie"
    threshold = "zombie_days"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        days = getattr(ctx.thresholds, self.threshold)
        if is_dormant(activity, ctx) and silent_since(activity.last_post_at, ctx, days):
            yield account_finding(self, activity, ctx, "veto", **silence(activity.last_post_at, ctx, days))


class SevereZombieRule(ZombieRule):
    """No post for `zombie_severe_days` ("超过1年不更新，成为'僵尸'号"); also a zombie."""

    rule_id = "account.zombie_severe"
    kind = "zombie_severe"
    threshold = "zombie_severe_days"


class EmptyShellRule:
    """Zero posts, or posts but no original post ever (veto: "长期零发布")."""

    rule_id = "account.empty_shell"
    kind = "empty_shell"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        if is_empty_shell(activity):
            acc = activity.account
            yield account_finding(
                self, activity, ctx, "veto",
                posts=activity.posts_total, original_posts=activity.originals_total,
                followers=acc.followers, posts_count_on_profile=acc.posts_count,
            )


class WeeklyCadenceRule:
    """A non-primary account that is not dormant but posted nothing in `weekly_cadence_days`
    ("每周更新不少于1次"); deduction. Primary accounts answer to the daily rule instead."""

    rule_id = "account.cadence_weekly"
    kind = "cadence_weekly"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        if ctx.is_primary(activity.account) or not readable(activity) or is_empty_shell(activity) or is_dormant(activity, ctx):
            return
        days = ctx.thresholds.weekly_cadence_days
        if silent_since(activity.last_post_at, ctx, days):
            yield account_finding(self, activity, ctx, "deduction", **silence(activity.last_post_at, ctx, days))


class NoOriginalRule:
    """Not dormant, not an empty shell, and no original post in `original_window_days`
    ("每2周至少发布1条原创信息"); deduction."""

    rule_id = "account.no_original"
    kind = "no_original"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        if not readable(activity) or is_empty_shell(activity) or is_dormant(activity, ctx):
            return
        days = ctx.thresholds.original_window_days
        if silent_since(activity.last_original_at, ctx, days):
            yield account_finding(
                self, activity, ctx, "deduction",
                **silence(activity.last_original_at, ctx, days, "original"), last_post_at=_when(activity.last_post_at),
            )
