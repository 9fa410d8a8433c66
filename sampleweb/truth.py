"""Ground truth: each account's labels computed from its posts with the shared definitions.

Nothing here is read from the designed roles except facts the crawler can
also observe (registry rows, profile verification, matrix listing, the
platform's "does not exist" answer, the disabled-comments flag) and which
registered name an impersonator copies.

The thresholds below (DORMANT_DAYS, ZOMBIE_DAYS …) and the name normalisation
repeat what core.config and audit/ define, on purpose: the ground truth is an
independent check of the audit, so it must not import the rules it checks. A
change to a rule's default has to be made in both places, and the sample-web
tests say so when only one moved.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import chinese_calendar

from core.models import RegistryEntry
from core.text import to_simplified
from sampleweb.gov import page_verdicts
from sampleweb.hostile import service_truth
from sampleweb.names import GOV_MARKERS

if TYPE_CHECKING:
    from sampleweb.model import SampleAccount, SamplePost, WorldData

DORMANT_DAYS, WEEKLY_DAYS, ORIGINAL_DAYS, ZOMBIE_DAYS, SEVERE_DAYS = 14, 7, 14, 90, 365


def normalise_name(name: str) -> str:
    """The registry matching form of a name: NFKC, simplified, no whitespace, lower case."""
    return "".join(to_simplified(unicodedata.normalize("NFKC", name)).lower().split())


def registry_match(acc: SampleAccount, registry: list[RegistryEntry]) -> RegistryEntry | None:
    """The entry for `acc`: same platform and account_id; else an id-less entry with the same name."""
    for entry in registry:
        if entry.platform == acc.platform and entry.account_id and entry.account_id == acc.account_id:
            return entry
    wanted = normalise_name(acc.name)
    for entry in registry:
        if entry.platform == acc.platform and not entry.account_id and normalise_name(entry.name) == wanted:
            return entry
    return None


def is_workday(day: date) -> bool:
    """China's working days with 调休 (chinese_calendar); raises for years it does not know."""
    return bool(chinese_calendar.is_workday(day))


def activity_labels(posts: list[SamplePost], now: datetime, primary: bool) -> list[str]:
    """dormant / zombie / zombie_severe / empty_shell / cadence_* / no_original from the posts."""
    timeline = [p for p in posts if not p.is_pinned and p.published_at <= now]
    if not timeline or not any(p.is_original for p in timeline):
        return ["empty_shell"]
    last = max(p.published_at for p in timeline)

    def within(days: int, original_only: bool = False) -> bool:
        start = now - timedelta(days=days)
        return any(p.published_at >= start for p in timeline if p.is_original or not original_only)

    if not within(DORMANT_DAYS):
        labels = ["dormant"]
        if last < now - timedelta(days=ZOMBIE_DAYS):
            labels.append("zombie")
        if last < now - timedelta(days=SEVERE_DAYS):
            labels.append("zombie_severe")
        return labels
    labels = []
    if primary and missed_workdays(timeline, now):
        labels.append("cadence_primary")
    if not primary and not within(WEEKLY_DAYS):
        labels.append("cadence_weekly")
    if not within(ORIGINAL_DAYS, original_only=True):
        labels.append("no_original")
    return labels


def missed_workdays(timeline: list[SamplePost], now: datetime) -> list[date]:
    """Working days among the 14 calendar days before today's date without any post."""
    posted = {p.published_at.date() for p in timeline}
    today = now.date()
    days = (today - timedelta(days=k) for k in range(DORMANT_DAYS, 0, -1))
    return [d for d in days if is_workday(d) and d not in posted]


def official_looking(acc: SampleAccount) -> bool:
    """Verified as government, listed on a government matrix page, or named like a government body."""
    spec = acc.spec
    text = acc.name + spec.verified_reason
    return spec.verified_type == "government" or spec.on_matrix or any(m in text for m in GOV_MARKERS)


def account_labels(acc: SampleAccount, world: WorldData, duplicates: set[tuple[str, str]]) -> list[str]:
    """All labels of one account at `world.now`, in CONTRACT.md's order."""
    entry = registry_match(acc, world.registry)
    labels = ["registered"] if entry else []
    impersonation = entry is None and bool(acc.spec.imitates)
    if entry is None and not impersonation and official_looking(acc):
        labels.append("unregistered")
    if impersonation:
        labels.append("impersonation")
    primary = bool(entry and entry.is_primary and entry.status == "active")
    if primary:
        labels.append("primary")
    if acc.state == "missing":
        return labels + ["missing"]
    activity = activity_labels(acc.posts, world.now, primary)
    labels += activity
    if entry and entry.status == "closed" and _posted_within(acc, world.now):
        labels.append("closed_but_alive")
    if entry and entry.status == "active" and (entry.platform, entry.owner) in duplicates:
        labels.append("duplicate_platform")
    if not acc.interaction_enabled:
        labels.append("no_interaction")
    return labels


def _posted_within(acc: SampleAccount, now: datetime) -> bool:
    start = now - timedelta(days=DORMANT_DAYS)
    return any(start <= p.published_at <= now for p in acc.posts if not p.is_pinned)


def duplicate_owners(registry: list[RegistryEntry]) -> set[tuple[str, str]]:
    """(platform, owner) pairs with more than one active registry entry."""
    counts = Counter((e.platform, e.owner) for e in registry if e.status == "active")
    return {key for key, n in counts.items() if n > 1}


def ground_truth(world: WorldData, base_url: str = "") -> dict[str, Any]:
    """The /ground_truth.json document (CONTRACT.md "Ground truth and sources")."""
    duplicates = duplicate_owners(world.registry)
    accounts = [
        {"platform": a.platform, "account_id": a.account_id, "name": a.name, "owner": a.owner,
         "labels": account_labels(a, world, duplicates)}
        for a in world.accounts if a.state != "needs_credentials"
    ]
    return {
        "seed": world.seed,
        "now": world.now.isoformat(sep=" "),
        "accounts": accounts,
        "pages": page_verdicts(world, base_url),
        "needs_credentials": [a.key for a in world.accounts if a.state == "needs_credentials"],
        "js_only": [f"{base_url}/douyin/user/{a.account_id}" for a in world.on_platform("douyin")],
        "service_links": service_truth(base_url, list(world.articles)),
    }
