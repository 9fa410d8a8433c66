"""A capped post check does not read the posts past its cap: it asks the store which accounts they belong to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from audit.content.posts import check_posts
from audit.content.typos import TypoDetector
from core.config import Limits, Settings
from core.models import Post, account_key
from index.sqlite import SqliteBackend

AS_OF = datetime(2026, 11, 20, 12, 0)
CAP = 10


class CountingStore(SqliteBackend):
    """Counts the posts iter_posts hands out."""

    read = 0

    def iter_posts(self, *args: object, **kwargs: bool) -> Iterator[Post]:
        for post in super().iter_posts(*args, **kwargs):  # type: ignore[arg-type]
            self.read += 1
            yield post


def _posts() -> list[Post]:
    """30 posts a minute apart, newest first; the 10th, 11th and 12th share one second.

    The 10th (the last one checked) is its account's only post; the 11th and 12th (the first ones past
    the cap) are their accounts' only posts, and no older post shares their second.
    """
    posts = []
    for n in range(30):
        when = AS_OF - timedelta(minutes=min(n, 9) if n < 12 else n)
        account = {9: "last-checked", 10: "tie-a", 11: "tie-b"}.get(n, f"acct{n % 4}")
        posts.append(Post("weibo", account, f"p{n:02d}", text=f"第{n}条通知。", published_at=when))
    return posts


def test_a_capped_check_reads_only_up_to_the_first_unread_second(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "s.db")
    store.setup()
    store.upsert_posts(_posts())
    settings = Settings(limits=Limits(post_checks=CAP))
    try:
        order = list(store.iter_posts(AS_OF - timedelta(days=14), AS_OF, newest_first=True))
        store.read = 0
        result = check_posts(store, TypoDetector(), settings, AS_OF)
    finally:
        store.close()
    past_cap = {account_key(p.platform, p.account_id) for p in order[CAP:]}
    assert result.checked == CAP and result.capped
    assert result.unchecked == past_cap
    assert "weibo:tie-a" in past_cap and "weibo:tie-b" in past_cap and "weibo:last-checked" not in past_cap
    # the 10 checked, the two of the first unread second, the older one that ends it; not the other 17
    assert store.read <= CAP + 3


def test_an_uncapped_check_lists_nothing_unread(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "s.db")
    store.setup()
    store.upsert_posts(_posts())
    try:
        result = check_posts(store, TypoDetector(), Settings(limits=Limits(post_checks=30)), AS_OF)
    finally:
        store.close()
    assert (result.checked, result.capped, result.unchecked) == (30, False, set())
