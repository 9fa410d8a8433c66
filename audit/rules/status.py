"""Rules about what the platform says of the account itself: no interaction function, missing."""

from __future__ import annotations

from collections.abc import Iterator

from audit.rules.base import AuditContext, account_finding
from core.models import Finding
from index.base import AccountActivity


class NoInteractionRule:
    """Comments and messages disabled ("未提供有效互动功能", veto).

    Only an explicit False on a readable account counts: None means the crawler could not tell.
    """

    rule_id = "account.no_interaction"
    kind = "no_interaction"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        acc = activity.account
        if acc.interaction_enabled is False and acc.state == "ok":
            yield account_finding(self, activity, ctx, "veto", interaction_enabled=False)


class MissingRule:
    """The platform says the account does not exist (weibo {"ok": 0}): closed or deleted (info).

    Reported so an inspector can update the registry; it is not an activity
    problem, so the activity rules skip such accounts.
    """

    rule_id = "account.missing"
    kind = "missing"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        acc = activity.account
        if acc.state == "missing":
            yield account_finding(
                self, activity, ctx, "info",
                last_seen=acc.last_seen.isoformat(sep=" ") if acc.last_seen else None,
                registered=ctx.match_for(acc).registered,
            )
