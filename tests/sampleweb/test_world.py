"""The generated world: determinism, every label at demo scale, labels agree with the definitions."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest

from sampleweb.truth import activity_labels, missed_workdays
from sampleweb.world import SamplePost, day_offsets, generate, is_workday

NOW = datetime(2026, 11, 23, 10, 0)
ALL_LABELS = {
    "registered", "unregistered", "dormant", "zombie", "zombie_severe", "empty_shell", "impersonation",
    "primary", "cadence_primary", "cadence_weekly", "no_original", "closed_but_alive",
    "duplicate_platform", "no_interaction", "missing",
}


@pytest.fixture(scope="module")
def truth() -> dict:
    return generate(seed=7, accounts=40, posts=30, now=NOW).ground_truth()


def test_same_seed_gives_the_same_world_and_another_seed_a_different_one():
    a, b, c = (generate(seed, 40, 30, NOW) for seed in (7, 7, 8))
    assert a.ground_truth() == b.ground_truth()
    assert [p.post_id for acc in a.accounts for p in acc.posts] == [p.post_id for acc in b.accounts for p in acc.posts]
    assert [acc.account_id for acc in a.accounts] != [acc.account_id for acc in c.accounts]


def test_every_label_occurs_at_demo_scale(truth):
    counts = Counter(label for acc in truth["accounts"] for label in acc["labels"])
    assert ALL_LABELS <= set(counts), ALL_LABELS - set(counts)
    assert counts["dormant"] >= 3 and counts["impersonation"] >= 5
    assert sum(1 for acc in truth["accounts"] if acc["labels"] == ["registered"]) >= 2  # healthy ones


def test_benign_lookalike_and_homophone_impersonator(truth):
    by_name = {acc["name"]: acc["labels"] for acc in truth["accounts"]}
    assert by_name["上海美食地图"] == []
    assert by_name["永洲人社"] == ["impersonation"]
    assert "registered" in by_name["永州人社"]


def test_dormant_account_with_a_recent_pinned_post_is_still_dormant():
    world = generate(7, 40, 30, NOW)
    acc = next(a for a in world.accounts if a.name == "无锡公安")
    pinned = [p for p in acc.posts if p.is_pinned]
    assert pinned and NOW - pinned[0].published_at < timedelta(days=3)
    assert "dormant" in next(t["labels"] for t in world.ground_truth()["accounts"] if t["name"] == "无锡公安")


def test_labels_hold_for_other_seeds_and_clocks():
    for seed, now in ((1, datetime(2026, 10, 9, 8, 0)), (99, datetime(2026, 2, 20, 23, 30))):
        counts = Counter(x for a in generate(seed, 40, 30, now).ground_truth()["accounts"] for x in a["labels"])
        assert ALL_LABELS <= set(counts), (seed, ALL_LABELS - set(counts))


def _post(days: float, original: bool = True, pinned: bool = False) -> SamplePost:
    return SamplePost("p", NOW - timedelta(days=days), "t", "x", original, is_pinned=pinned)


@pytest.mark.parametrize(("days", "dormant"), [(13, False), (14, False), (14.01, True), (20, True)])
def test_dormant_window_is_closed_at_exactly_14_days(days, dormant):
    """A post exactly 14 days before now is inside the window; a minute more is outside."""
    assert ("dormant" in activity_labels([_post(days)], NOW, primary=False)) is dormant


def test_pinned_posts_do_not_count_and_reposts_only_is_an_empty_shell():
    assert activity_labels([_post(1, pinned=True), _post(30)], NOW, primary=False) == ["dormant"]
    assert activity_labels([_post(1, original=False)], NOW, primary=False) == ["empty_shell"]
    assert activity_labels([], NOW, primary=False) == ["empty_shell"]


def test_zombie_boundaries_and_weekly_cadence():
    assert activity_labels([_post(91)], NOW, False) == ["dormant", "zombie"]
    assert activity_labels([_post(366)], NOW, False) == ["dormant", "zombie", "zombie_severe"]
    assert activity_labels([_post(8)], NOW, False) == ["cadence_weekly"]
    assert activity_labels([_post(7)], NOW, False) == []


def test_primary_cadence_counts_working_days_with_make_up_days():
    """2026-10-01..07 is the National Day holiday and Saturday 2026-10-10 a make-up workday."""
    now = datetime(2026, 10, 13, 10, 0)
    every_day = [SamplePost("p", now - timedelta(days=k), "t", "x", True) for k in range(1, 20)]
    assert missed_workdays(every_day, now) == []
    holidays_off = [p for p in every_day if not (1 <= p.published_at.day <= 7 and p.published_at.month == 10)]
    assert missed_workdays(holidays_off, now) == []
    no_makeup = [p for p in every_day if p.published_at.date() != datetime(2026, 10, 10).date()]
    assert [d.isoformat() for d in missed_workdays(no_makeup, now)] == ["2026-10-10"]
    assert "cadence_primary" in activity_labels(no_makeup, now, primary=True)


def _resolve_weibo(raw: str, crawl: datetime) -> datetime:
    """How a crawler at `crawl` reads m.weibo.cn's created_at (date-only forms at midnight)."""
    if raw == "刚刚":
        return crawl
    for unit, minutes in (("分钟前", 1), ("小时前", 60), ("天前", 1440)):
        if raw.endswith(unit):
            return crawl - timedelta(minutes=int(raw.removesuffix(unit)) * minutes)
    if raw.startswith("昨天 "):
        hour, minute = map(int, raw[3:].split(":"))
        return datetime.combine(crawl.date() - timedelta(days=1), datetime.min.time()).replace(hour=hour, minute=minute)
    if len(raw) == 5:
        return datetime(crawl.year, int(raw[:2]), int(raw[3:]))
    return datetime.fromisoformat(raw)


@pytest.mark.parametrize("late", [timedelta(minutes=1), timedelta(minutes=20)])
def test_a_crawl_minutes_after_now_resolves_the_same_activity_labels(late):
    """Label dates sit far from the 7/14/90/365-day edges, so Weibo's coarse dates do not move them."""
    from sampleweb.weibo import created_at

    world = generate(7, 60, 30, NOW)
    crawl = NOW + late
    for acc in world.accounts:
        seen = [SamplePost(p.post_id, _resolve_weibo(created_at(p.published_at, NOW), crawl) if acc.platform == "weibo"
                           else p.published_at, p.title, p.text, p.is_original, p.is_repost, p.is_pinned)
                for p in acc.posts]
        for primary in (False, True):
            assert activity_labels(seen, crawl, primary) == activity_labels(acc.posts, NOW, primary), acc.name


@pytest.mark.parametrize("n", [1, 2, 6, 9, 30])
def test_a_cadence_gap_account_skips_two_working_days_with_any_number_of_posts(n):
    """The generator used to remove the skipped days from a list too short to hold them (posts < 9)."""
    days = day_offsets("cadence_gap", random.Random(5), n, NOW)
    assert len(days) == n and days == sorted(set(days))
    skipped = [d for d in range(3, 12) if d not in days]
    if n >= 9:  # the list reaches back past day 11
        assert len(skipped) == 2 and all(is_workday((NOW - timedelta(days=d)).date()) for d in skipped)


def test_a_small_world_with_few_posts_generates_its_cadence_gap_accounts():
    world = generate(seed=5, accounts=10, posts=6, now=NOW)  # crashed in day_offsets (list.remove)
    gaps = [a for a in world.accounts if a.spec.schedule == "cadence_gap"]
    assert gaps and all(len([p for p in a.posts if not p.is_pinned]) == 6 for a in gaps)
