"""Primary-account cadence: a post on every working day ("主账号应保持每个工作日更新")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from audit.calendar import WorkCalendar
from audit.rules.activity import is_dormant, is_empty_shell, readable
from audit.rules.base import AuditContext, account_finding
from govwatch.models import Finding
from index.base import AccountActivity


class PrimaryCadenceRule:
    """A registered primary account (是否主账号, entry active), not dormant, with no post on some working day.

    The days checked are the `primary_cadence_days` calendar days before the
    check date (today is not over, so it is never checked); working days come
    from China's calendar with 调休 make-up days, so a post is owed on a
    make-up Saturday and not on a National Day holiday. A year the calendar
    does not know raises CalendarError rather than guessing.
    """

    rule_id = "account.cadence_primary"
    kind = "cadence_primary"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        entry = ctx.match_for(activity.account).entry
        if entry is None or not ctx.is_primary(activity.account):
            return
        if not readable(activity) or is_empty_shell(activity) or is_dormant(activity, ctx):
            return
        calendar = ctx.calendar or WorkCalendar()
        today = ctx.as_of.date()
        first = today - timedelta(days=ctx.thresholds.primary_cadence_days)
        owed = list(calendar.workdays_between(first, today - timedelta(days=1)))
        missed = [day for day in owed if day not in activity.post_days]
        if missed:
            yield account_finding(
                self, activity, ctx, "deduction",
                missed_workdays=[d.isoformat() for d in missed],
                workdays_checked=len(owed),
                period=[first.isoformat(), (today - timedelta(days=1)).isoformat()],
                registry_no=entry.registry_no,
            )
