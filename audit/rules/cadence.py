"""Primary-account cadence: a post on every working day ("主账号应保持每个工作日更新")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from audit.calendar import WorkCalendar
from audit.rules.activity import is_dormant, is_empty_shell, readable
from audit.rules.base import AuditContext, account_finding
from core.models import Finding
from index.base import AccountActivity

_DEFAULT_CALENDAR = WorkCalendar()


class PrimaryCadenceRule:
    """A registered primary account (是否主账号, entry active), not dormant, with no post on some working day.

    The days checked are the `primary_cadence_days` calendar days before the
    check date (today is not over, so it is never checked); working days come
    from China's calendar with 调休 make-up days, so a post is owed on a
    make-up Saturday and not on a National Day holiday. When part of the
    period lies in a year without official 调休 data the calendar is
    provisional, and the finding says so (`calendar: provisional`).
    """

    rule_id = "account.cadence_primary"
    kind = "cadence_primary"

    def __init__(self) -> None:
        self._owed: dict[tuple[date, date, WorkCalendar], list[date]] = {}  # one audit asks the same question 10,000 times

    def owed_workdays(self, ctx: AuditContext) -> tuple[date, date, list[date]]:
        """The checked period (first, last day) and its working days, for this audit's check date."""
        calendar = ctx.calendar or _DEFAULT_CALENDAR
        last = ctx.as_of.date() - timedelta(days=1)
        first = ctx.as_of.date() - timedelta(days=ctx.thresholds.primary_cadence_days)
        key = (first, last, calendar)  # the calendar itself (not its id): kept alive, never confused
        if key not in self._owed:
            self._owed = {key: list(calendar.workdays_between(first, last))}
        return first, last, self._owed[key]

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        entry = ctx.match_for(activity.account).entry
        if entry is None or not ctx.is_primary(activity.account):
            return
        if not readable(activity) or is_empty_shell(activity) or is_dormant(activity, ctx):
            return
        first, last, owed = self.owed_workdays(ctx)
        missed = [day for day in owed if day not in activity.post_days]
        if missed:
            calendar = ctx.calendar or _DEFAULT_CALENDAR
            provisional = calendar.is_provisional(first) or calendar.is_provisional(last)
            yield account_finding(
                self, activity, ctx, "deduction",
                missed_workdays=[d.isoformat() for d in missed],
                workdays_checked=len(owed),
                period=[first.isoformat(), last.isoformat()],
                registry_no=entry.registry_no,
                calendar="provisional" if provisional else "official",
            )
