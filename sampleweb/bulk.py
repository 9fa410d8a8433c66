"""Benchmark-scale generation: Account / Post / RegistryEntry objects streamed, no HTML.

    from sampleweb.bulk import BulkWorld, fill_store
    world = BulkWorld(seed=7, accounts=100_000, posts=5_000_000, now=NOW)
    for post in world.posts(): ...

Account roles follow the same label-driving schedules as the demo world
(daily primary accounts, weekly-cadence gaps, dormant / zombie / severe
silences, empty shells, reprint-only accounts, closed-but-alive, duplicates,
unregistered, impersonating and benign look-alikes), drawn with integer
hashing instead of random.Random so 5,000,000 posts take seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from core.models import Account, AccountMention, Page, Post, RegistryEntry
from sampleweb import vocab
from sampleweb.world import is_workday

PLATFORMS = ("wechat", "weibo", "douyin", "wechat", "weibo", "bilibili", "toutiao", "kuaishou")
PLACES = ("永州", "无锡", "零陵", "冷水滩", "祁阳", "东安", "道县", "江永", "宁远", "蓝山", "新田", "双牌", "江华",
          "梁溪", "滨湖", "锡山", "惠山", "新吴", "江阴", "宜兴", "长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳",
          "常德", "张家界", "益阳", "郴州", "怀化", "娄底", "苏州", "常州", "南通", "扬州", "镇江", "泰州")
DEPTS = ("发布", "人社", "公安", "教育", "医保", "税务", "司法", "交通", "应急", "民政", "文旅", "水利", "卫健",
         "生态环境", "市场监管", "自然资源", "住建", "城管", "农业农村", "统计", "商务", "科技", "退役军人", "气象")
TOWN_FIRST = "东西南北新朝红建和平长安兴华光明胜利文昌"
TOWN_SECOND = "阳山河湖桥塘坪岭江城"
# (cumulative share, role). Roles decide schedule, registry row and name; labels follow from them.
ROLES = ((0.40, "healthy"), (0.55, "daily"), (0.58, "cadence_gap"), (0.62, "weekly_gap"), (0.70, "dormant"),
         (0.75, "zombie"), (0.78, "zombie_severe"), (0.80, "empty"), (0.82, "reposts_only"),
         (0.85, "no_original"), (0.86, "closed"), (0.87, "duplicate"), (0.88, "no_interaction"),
         (0.885, "missing"), (0.92, "unregistered"), (0.95, "matrix_only"), (0.97, "impersonation"),
         (1.01, "benign"))
# role -> (first offset range, step range) in days, as in sampleweb.world.day_offsets
SCHEDULE = {"daily": ((0, 0), (1, 1)), "cadence_gap": ((1, 1), (1, 1)), "weekly_gap": ((10, 11), (1, 3)),
            "dormant": ((22, 60), (2, 5)), "zombie": ((120, 250), (3, 10)), "zombie_severe": ((400, 700), (5, 20)),
            "no_original": ((1, 2), (1, 2))}
HEALTHY = ((0, 2), (1, 2))
ACTIVE_ROLES = ("healthy", "daily", "cadence_gap", "weekly_gap", "dormant", "no_original", "no_interaction")
_MASK = (1 << 64) - 1


def mix(*values: int) -> int:
    """A 64-bit hash of integers (splitmix64 finaliser): cheap, deterministic, well spread."""
    h = 0x9E3779B97F4A7C15
    for v in values:
        h = (h ^ v) * 0xBF58476D1CE4E5B9 & _MASK
        h ^= h >> 31
    return h


@dataclass
class BulkAccount:
    account: Account
    role: str
    owner: str
    n_posts: int


class BulkWorld:
    """A large deterministic world streamed account by account."""

    def __init__(self, seed: int, accounts: int, posts: int, now: datetime):
        self.seed, self.n_accounts, self.n_posts, self.now = seed, accounts, posts, now
        midnight = datetime.combine(now.date(), time(0))
        self._days = [midnight - timedelta(days=k) for k in range(1200)]
        self._times = [timedelta(hours=7, minutes=m) for m in range(15 * 60)]
        self._titles = vocab.titles(PLACES[:8])
        self._openings = vocab.openings(PLACES[:8])
        self._pool = vocab.sentences(seed)  # real words with Zipf frequencies (sampleweb/vocab.py)
        # working days 3..11 days back: a cadence_gap account leaves one or two of them without a post
        self._workdays = [k for k in range(3, 12) if is_workday(now.date() - timedelta(days=k))] or [3]

    def role(self, i: int) -> str:
        roll = (mix(self.seed, i, 1) >> 11) / 2**53
        return next(role for share, role in ROLES if roll < share)

    def _registered_before(self, i: int) -> int | None:
        """The nearest earlier account on the same platform with an active registry row."""
        for j in range(i - len(PLATFORMS), max(-1, i - 40 * len(PLATFORMS)), -len(PLATFORMS)):
            if self.role(j) in ACTIVE_ROLES:
                return j
        return None

    def _identity(self, i: int) -> tuple[str, str, str, str]:
        """(platform, account_id, name, owner) of account i: 永州东阳街道人社 and its own owner."""
        platform = PLATFORMS[i % len(PLATFORMS)]
        ids = {"wechat": f"gh_{i:012x}", "weibo": str(1_000_000_000 + i), "douyin": f"MS4wLjABAAAA{i:043d}",
               "bilibili": str(100_000_000 + i), "toutiao": str(50_000_000_000 + i), "kuaishou": f"3x{i:013d}"}
        dept = DEPTS[i % len(DEPTS)]
        rest = i // len(DEPTS)
        place = PLACES[rest % len(PLACES)]
        rest //= len(PLACES)
        if rest == 0:  # the city-level bodies first, then one per town (街道), then numbered cycles
            return platform, ids[platform], f"{place}{dept}", f"{place}市{dept}部门"
        town = TOWN_FIRST[(rest - 1) % len(TOWN_FIRST)] + TOWN_SECOND[(rest - 1) // len(TOWN_FIRST) % len(TOWN_SECOND)]
        cycle = (rest - 1) // (len(TOWN_FIRST) * len(TOWN_SECOND))
        town += str(cycle + 1) if cycle else ""
        return platform, ids[platform], f"{place}{town}街道{dept}", f"{place}{town}街道{dept}办"

    def bulk_accounts(self) -> Iterator[BulkAccount]:
        """Every account with its role, owner and number of posts (the total is `posts`)."""
        carry = 0  # posts of empty/missing accounts go to the next account, so the total is exact
        for i in range(self.n_accounts):
            role = self.role(i)
            platform, account_id, name, owner = self._identity(i)
            model = self._registered_before(i)
            if role == "duplicate" and model is not None:
                owner = self._identity(model)[3]  # a second active account of one owner on one platform
            elif role == "impersonation":
                name = self._identity(model)[2] + "官方" if model is not None else name + "★"
            elif role == "benign":  # a place name but no government body: 永州美食地图
                name = f"{name[:2]}美食地图{i}"
            share = (i + 1) * self.n_posts // self.n_accounts - i * self.n_posts // self.n_accounts
            n = 0 if role in ("empty", "missing") else share + carry
            carry = share + carry - n
            official = role not in ("impersonation", "benign")
            verified_type = "government" if role not in ("matrix_only", "impersonation", "benign") else "none"
            acc = Account(platform, account_id, name, verified=verified_type != "none",
                          verified_reason=f"{owner}官方账号" if official else "",
                          verified_type=verified_type, followers=mix(self.seed, i, 2) % 300_000, posts_count=n,
                          found_via="gov_site" if role == "matrix_only" else "registry",
                          state="missing" if role == "missing" else "ok",
                          interaction_enabled=role != "no_interaction", first_seen=self.now, last_seen=self.now)
            yield BulkAccount(acc, role, owner, n)

    def accounts(self) -> Iterator[Account]:
        return (b.account for b in self.bulk_accounts())

    def registry(self) -> Iterator[RegistryEntry]:
        """Registry rows for the registered roles (some without account_id, matched by name)."""
        for i, b in enumerate(self.bulk_accounts()):
            if b.role in ("unregistered", "matrix_only", "impersonation", "benign"):
                continue
            acc = b.account
            yield RegistryEntry(acc.name, acc.platform, "" if i % 7 == 3 else acc.account_id, b.owner,
                                "政务公开办", f"B{i:08d}", b.role in ("daily", "cadence_gap"),
                                "closed" if b.role == "closed" else "active", self.now - timedelta(days=400))

    def mentions(self) -> Iterator[AccountMention]:
        """Matrix-page mentions of the matrix-only accounts (their only official look)."""
        for b in self.bulk_accounts():
            if b.role == "matrix_only":
                yield AccountMention(b.account.name, b.account.platform, "http://gov.test/matrix.html", "matrix")

    def posts(self, part: int = 0, parts: int = 1) -> Iterator[Post]:
        """Every post, account by account, newest first; with `parts` > 1 only those of the accounts
        i ≡ `part` (mod `parts`), so that `parts` loaders together write each post exactly once."""
        for i, b in enumerate(self.bulk_accounts()):
            if b.n_posts and i % parts == part:
                yield from self._posts(i, b)

    def _posts(self, i: int, b: BulkAccount) -> Iterator[Post]:
        acc, role, seed = b.account, b.role, self.seed
        (lo, hi), (step_lo, step_hi) = SCHEDULE.get(role, HEALTHY)
        h = mix(seed, i, 3)
        day = lo + h % (hi - lo + 1)
        work = self._workdays
        skip = {work[h % len(work)], work[(h >> 7) % len(work)]} if role == "cadence_gap" else ()
        span = step_hi - step_lo + 1
        platform, account_id = acc.platform, acc.account_id
        repost_platform = platform in ("weibo", "bilibili")
        days, times, titles, now = self._days, self._times, self._titles, self.now
        openings, pool = self._openings, self._pool
        n_times, n_titles, n_open, n_pool = len(times), len(titles), len(openings), len(pool)
        if role == "dormant" and h % 3 == 0:  # a recent pinned post must not hide the silence
            yield Post(platform, account_id, f"{account_id}-top", "", titles[h % n_titles],
                       openings[h % n_open] + pool[h % n_pool], days[2] + times[h % n_times], "", True, True, False,
                       5, None, now)
        for k in range(b.n_posts):
            while day in skip:
                day += 1
            r = (h * (k + 1) * 0x9E3779B1 + k) & 0xFFFFFFFF
            when = days[day] + times[r % n_times] if day < len(days) else days[0] - timedelta(days=day)
            if when > now:
                when = now - timedelta(minutes=1 + r % 59)
            original = (k == 0 or r % 5 != 0) and role != "reposts_only" and not (role == "no_original" and day < 25)
            body = openings[r % n_open] + pool[(r >> 3) % n_pool] + pool[(r * 0x2545F491 >> 9) % n_pool]
            yield Post(platform, account_id, f"{account_id}-{k}", "", titles[(r >> 11) % n_titles], body,
                       when, "", original, False, repost_platform and not original, r % 80, None, now)
            day += step_lo + (r >> 8) % span


def fill_store(store: Any, *, accounts: int, posts: int, seed: int, now: datetime, full_text: bool = False,
               with_posts: bool = True) -> None:
    """Write a BulkWorld into a Backend: registry, accounts, posts, one matrix page.

    `with_posts=False` leaves the posts out, for loaders that write `BulkWorld.posts(part, parts)`
    in parallel (bench/audit.py does so for Elasticsearch).

    With a SqliteBackend and `full_text=False` (the benchmark case) posts go straight into
    the posts table in large transactions and skip the full-text index, which the audit
    never reads.
    """
    world = BulkWorld(seed, accounts, posts, now)
    store.upsert_registry(world.registry())
    store.upsert_accounts(world.accounts())
    if not with_posts:
        pass
    elif full_text or not hasattr(store, "db"):
        store.upsert_posts(world.posts())
    else:
        _insert_posts(store.db, world.posts(), now)
    store.upsert_pages([Page(url="http://gov.test/matrix.html", site="gov.test", title="政务新媒体矩阵",
                             text="政务新媒体矩阵", mentions=list(world.mentions()), fetched_at=now)])


def _insert_posts(db: Any, posts: Iterator[Post], now: datetime) -> None:
    """Rows in the store's column order (index.sqlite_schema.POST_COLUMNS), 50,000 per transaction."""
    from index.sqlite_schema import POST_COLUMNS

    sql = f"INSERT OR REPLACE INTO posts ({','.join(POST_COLUMNS)}) VALUES ({','.join('?' * len(POST_COLUMNS))})"
    fetched = now.isoformat(" ", "seconds")
    batch: list[tuple] = []
    for p in posts:
        batch.append((p.platform, p.post_id, p.account_id, p.url, p.title, p.text,
                      p.published_at.isoformat(" ", "seconds") if p.published_at else None, int(p.is_original),
                      int(p.is_pinned), int(p.is_repost), p.comments, p.replies, fetched, p.content_hash, None))
        if len(batch) >= 50_000:
            _commit(db, sql, batch)
            batch = []
    _commit(db, sql, batch)


def _commit(db: Any, sql: str, rows: list[tuple]) -> None:
    # The store's connection is in autocommit mode: without BEGIN each row would be its own transaction.
    db.execute("BEGIN")
    try:
        db.executemany(sql, rows)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def main(argv: list[str] | None = None) -> int:
    """`python -m sampleweb.bulk`: generate without storing and print the rate (posts/s)."""
    import argparse
    import time as clock

    parser = argparse.ArgumentParser(prog="python -m sampleweb.bulk", description=main.__doc__)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    world = BulkWorld(args.seed, args.accounts, args.posts, datetime(2026, 11, 23, 10, 0))
    started = clock.perf_counter()
    count = sum(1 for _ in world.posts())
    seconds = clock.perf_counter() - started
    print(f"generated {count:,} posts of {args.accounts:,} accounts in {seconds:.1f} s: "
          f"{count / seconds:,.0f} posts/s (target >= 200,000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
