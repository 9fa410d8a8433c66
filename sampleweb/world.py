"""The sample world: accounts, posts, registry and government pages, generated from a seed.

Everything is deterministic for (seed, accounts, posts, now). Post times are
offsets before `now`, in whole calendar days for anything that decides a
label, and far from the label boundaries (7, 14, 90, 365 days), so a crawl
a few minutes after `now` resolves the same labels.
"""

from __future__ import annotations

import base64
import random
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

import chinese_calendar

from core.models import RegistryEntry
from sampleweb.content import articles_for, post_text, post_time
from sampleweb.hostile import plant
from sampleweb.model import SampleAccount, SamplePost, WorldData
from sampleweb.names import SITES, SPECIAL, Spec, filler_specs
from sampleweb.truth import ground_truth

# Filler accounts cycle through these (WeChat and Weibo twice as often, as in real matrices).
FILLER_PLATFORMS = ("wechat", "weibo", "douyin", "wechat", "weibo", "bilibili", "toutiao", "kuaishou")
REPOST_PLATFORMS = ("weibo", "bilibili")  # where a non-original post is a repost (转发)
ALWAYS_ORIGINAL = ("douyin", "toutiao", "kuaishou")  # their pages mark nothing as reprinted
_URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


class World(WorldData):
    """A generated sample web (WorldData) that can state its own ground truth."""

    def ground_truth(self, base_url: str = "") -> dict[str, Any]:
        """The labels and page verdicts (see CONTRACT.md), computed from the generated data.

        Page URLs are paths unless `base_url` is given (the server passes its own).
        """
        return ground_truth(self, base_url)


def generate(seed: int = 7, accounts: int = 40, posts: int = 30,
             now: datetime = datetime(2026, 11, 23, 10, 0)) -> World:
    """A deterministic world of `accounts` accounts with about `posts` posts each."""
    rng = random.Random(f"sampleweb:{seed}")
    specs = list(SPECIAL[:accounts]) + list(islice(filler_specs(FILLER_PLATFORMS), max(0, accounts - len(SPECIAL))))
    ids: set[str] = set()
    built = [_account(spec, rng, ids, posts, now) for spec in specs]
    registry = [entry for acc in built if (entry := _registry_entry(acc, rng, now)) is not None]
    articles = {}
    for site, meta in SITES.items():
        owners = sorted({a.owner for a in built if a.site == site and a.spec.registry})
        listed = [(a.name, a.platform) for a in built if a.site == site and a.spec.on_matrix]
        articles[site] = articles_for(random.Random(f"{seed}:{site}"), site, meta["place"],
                                      owners or [meta["name"]], listed, now, 24 + accounts // 10)
    world = World(seed, now, built, registry, articles)
    plant(world)
    return world


def _account(spec: Spec, rng: random.Random, ids: set[str], posts: int, now: datetime) -> SampleAccount:
    acc = SampleAccount(spec.platform, _unique_id(spec.platform, rng, ids), spec.name, spec.owner,
                        spec.site, spec, followers=rng.randint(200, 300_000))
    if spec.platform == "wechat":
        acc.biz = base64.b64encode(str(rng.randint(3_000_000_000, 3_999_999_999)).encode()).decode()
    place = SITES[spec.site]["place"] if spec.site else spec.name[:2]
    if spec.extra.get("state", "ok") == "ok":
        acc.posts = _posts(spec, rng, posts, now, place, ids)
    return acc


def _chars(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# Account ids shaped like each platform's: gh_ ids, uids, sec_uids, mids, user ids, 3x ids.
_ACCOUNT_IDS = {
    "wechat": lambda r: "gh_" + _chars(r, "0123456789abcdef", 12),
    "weibo": lambda r: str(r.randint(1_000_000_000, 7_999_999_999)),
    "douyin": lambda r: "MS4wLjABAAAA" + _chars(r, _URLSAFE, 43),
    "bilibili": lambda r: str(r.randint(100_000_000, 3_999_999_999)),
    "toutiao": lambda r: str(r.randint(50_000_000_000, 99_999_999_999)),
    "kuaishou": lambda r: "3x" + _chars(r, "abcdefghijkmnpqrstuvwxyz23456789", 13),
}
_POST_IDS = {
    "wechat": lambda r: _chars(r, _URLSAFE, 22),
    "weibo": lambda r: str(r.randint(4_000_000_000_000_000, 5_299_999_999_999_999)),
    "douyin": lambda r: str(r.randint(7_300_000_000_000_000_000, 7_599_999_999_999_999_999)),
    "bilibili": lambda r: str(r.randint(900_000_000_000_000_000, 1_099_999_999_999_999_999)),
    "toutiao": lambda r: str(r.randint(7_400_000_000_000_000_000, 7_599_999_999_999_999_999)),
    "kuaishou": lambda r: "3x" + _chars(r, "abcdefghijkmnpqrstuvwxyz23456789", 13),
}


def _unique_id(platform: str, rng: random.Random, ids: set[str], table: dict | None = None) -> str:
    make = (table or _ACCOUNT_IDS)[platform]
    while True:
        new = make(rng)
        if new not in ids:
            ids.add(new)
            return new


def _posts(spec: Spec, rng: random.Random, n: int, now: datetime, place: str, ids: set[str]) -> list[SamplePost]:
    out = []
    offsets = day_offsets(spec.schedule, rng, n, now)
    if "pinned" in spec.extra:
        offsets.append(-int(spec.extra["pinned"]))  # negative marks the pinned post
    for i, offset in enumerate(offsets):
        original = _is_original(spec, rng, abs(offset), newest=(i == 0), pinned=offset < 0)
        title, text = post_text(rng, place)
        repost = spec.platform in REPOST_PLATFORMS and not original
        post = SamplePost(
            _post_id(spec.platform, rng, ids), post_time(rng, now, abs(offset)), title, text, original,
            is_repost=repost, is_pinned=offset < 0, comments=rng.randint(0, 80),
            repost_of=rng.choice(("人民日报", "新华社", "中国政府网")) if repost else "",
        )
        out.append(post)
    out.sort(key=lambda p: p.published_at, reverse=True)
    return out


def _is_original(spec: Spec, rng: random.Random, days_ago: int, newest: bool, pinned: bool) -> bool:
    if spec.extra.get("reposts_only"):
        return False
    if spec.platform in ALWAYS_ORIGINAL:
        return True
    if spec.schedule == "no_original" and days_ago < 25:
        return False
    return pinned or newest or rng.random() < 0.8


def _post_id(platform: str, rng: random.Random, ids: set[str]) -> str:
    return _unique_id(platform, rng, ids, _POST_IDS)


def day_offsets(schedule: str, rng: random.Random, n: int, now: datetime) -> list[int]:
    """Calendar days before `now` on which an account with this schedule posted, newest first."""
    if schedule == "empty" or n <= 0:
        return []
    if schedule == "daily":
        return list(range(n))
    if schedule == "cadence_gap":  # daily, but two working days 3..11 days back are left without a post
        skipped = set(_working_days(now.date(), range(3, 12), rng, 2))
        return [day for day in range(1, n + 12) if day not in skipped][:n]  # n + 12: enough with any n
    first, step = {
        "healthy": (rng.randint(0, 2), (1, 2)),
        "no_original": (rng.randint(1, 2), (1, 2)),
        "weekly_gap": (10 + rng.randint(0, 1), (1, 3)),
        "dormant": (rng.randint(22, 60), (2, 5)),
        "zombie": (rng.randint(120, 250), (3, 10)),
        "zombie_severe": (rng.randint(400, 700), (5, 20)),
    }[schedule]
    days = [first]
    while len(days) < n:
        days.append(days[-1] + rng.randint(*step))
    return days


def _working_days(today: date, offsets: range, rng: random.Random, k: int) -> list[int]:
    """`k` offsets (days before `today`) that are China working days, to leave without a post."""
    work = [o for o in offsets if is_workday(today - timedelta(days=o))]
    return sorted(rng.sample(work, min(k, len(work))))


def is_workday(day: date) -> bool:
    """China's working days (chinese_calendar); weekdays for a year it does not know yet."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # generation only; sampleweb.truth raises for such a year
        return day.weekday() < 5


def _registry_entry(acc: SampleAccount, rng: random.Random, now: datetime) -> RegistryEntry | None:
    spec = acc.spec
    if not spec.registry:
        return None
    registered = now - timedelta(days=rng.randint(400, 2500))
    return RegistryEntry(
        name=acc.name, platform=acc.platform, account_id="" if spec.registry == "active_noid" else acc.account_id,
        owner=acc.owner, supervisor=SITES[acc.site]["name"] + "办公室", is_primary=spec.primary,
        registry_no=f"{acc.site.upper()}{registered:%Y}{rng.randint(10000, 99999)}",
        status="closed" if spec.registry == "closed" else "active", registered_at=registered.replace(microsecond=0),
    )
