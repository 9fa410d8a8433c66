"""Rules that compare accounts with the registry (备案库): unregistered (未备案), one account per
platform per owner, closed but still posting, and ambiguous registry matches."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from audit.names import normalise_name
from audit.rules.activity import silent_since
from audit.rules.base import AuditContext, account_finding
from audit.rules.official import looks_official
from core.errors import BadInputError
from core.models import Account, Finding, RegistryEntry
from index.base import AccountActivity

log = logging.getLogger(__name__)
SIMILAR_SHOWN = 3  # registered accounts quoted as "most similar" in the evidence


def _entry_brief(entry: RegistryEntry) -> dict[str, Any]:
    return {"name": entry.name, "platform": entry.platform, "account_id": entry.account_id,
            "owner": entry.owner, "registry_no": entry.registry_no, "status": entry.status}


def impersonation_check(ctx: AuditContext, account: Account) -> Any:
    """audit.impersonation's verdict on `account` (None when that package is not installed)."""
    if ctx.matcher is None:
        return None
    try:
        return ctx.matcher.check(account.name, platform=account.platform, account=account, now=ctx.as_of)
    except BadInputError:
        return None  # a name with no letters left (emoji only) imitates no registered name


def similar_registered(check: Any) -> list[dict[str, Any]] | None:
    """The best few registry candidates of an impersonation check, for the evidence and the report
    (None when no check could be made, so the report knows to try again)."""
    if check is None:
        return None
    return [
        {"name": c.name, "platform": c.platform, "owner": c.owner, "score": round(float(c.score), 3)}
        for c in list(check.candidates)[:SIMILAR_SHOWN]
    ]


class UnregisteredRule:
    """Official-looking, no registry match, and not an impersonation (veto: "未备案…一律予以关停注销").

    An ambiguous registry match is not "no match": it is reported by
    RegistryAmbiguousRule instead of being guessed either way.
    """

    rule_id = "account.unregistered"
    kind = "unregistered"
    needs_matcher = True  # built with the audit's matcher (audit/catalog.py)

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        acc = activity.account
        if acc.state == "missing" or ctx.match_for(acc).how != "none":
            return
        pages = ctx.listed.get((acc.platform, normalise_name(acc.name)), [])
        official, reasons = looks_official(acc, bool(pages), ctx.government_terms)
        if not official:
            return
        check = impersonation_check(ctx, acc)
        if check is not None and check.verdict == "impersonation":
            return  # an impostor is reported as impersonation, not as an unregistered government account
        yield account_finding(
            self, activity, ctx, "veto",
            reasons=reasons, verified_type=acc.verified_type, verified_reason=acc.verified_reason,
            found_via=acc.found_via, found_on=acc.found_on or (pages[0] if pages else ""),
            listed_on=pages, first_seen=acc.first_seen.isoformat(sep=" ") if acc.first_seen else None,
            similar_registered=similar_registered(check),
        )


class DuplicatePlatformRule:
    """An owner with more than one active registry entry on one platform: each of those accounts
    ("一个单位原则上在同一平台只开设一个政务新媒体账号"); deduction."""

    rule_id = "account.duplicate_platform"
    kind = "duplicate_platform"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        entry = ctx.match_for(activity.account).entry
        if entry is None or activity.account.state == "missing":
            return  # a deleted account is reported as missing; its registry row needs updating first
        group = ctx.duplicate_groups().get(entry.key)
        if group:
            yield account_finding(
                self, activity, ctx, "deduction",
                owner=entry.owner, platform=entry.platform, registry_no=entry.registry_no,
                same_owner_accounts=[_entry_brief(e) for e in group],
            )


class ClosedButAliveRule:
    """The registry says closed (注销/关停) but the account posted in the last `dormant_days` (veto)."""

    rule_id = "account.closed_but_alive"
    kind = "closed_but_alive"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        entry = ctx.match_for(activity.account).entry
        if entry is None or entry.status != "closed" or activity.last_post_at is None:
            return
        if not silent_since(activity.last_post_at, ctx, ctx.thresholds.dormant_days):
            yield account_finding(
                self, activity, ctx, "veto",
                registry_no=entry.registry_no, registry_status=entry.status,
                last_post_at=activity.last_post_at.isoformat(sep=" "), window_days=ctx.thresholds.dormant_days,
            )


class RegistryAmbiguousRule:
    """The account fits several registry entries (or shares one entry with other accounts): an
    inspector must decide; the audit never guesses (info)."""

    rule_id = "account.registry_ambiguous"
    kind = "registry_ambiguous"

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        match = ctx.match_for(activity.account)
        if match.how == "ambiguous":
            yield account_finding(
                self, activity, ctx, "info", candidates=[_entry_brief(e) for e in match.candidates]
            )
