"""Backend.post_accounts: the distinct accounts that posted inside a time window, read without the posts."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.models import Post
from index.base import Backend

T0 = datetime(2026, 11, 1, 9, 0)


def test_each_account_once_inside_both_exclusive_bounds(backend: Backend) -> None:
    backend.upsert_posts([
        Post("weibo", "1", "a", text="早", published_at=T0 - timedelta(days=3)),
        Post("weibo", "1", "b", text="又一条", published_at=T0 - timedelta(days=2)),
        Post("bilibili", "2", "z", text="下界上", published_at=T0 - timedelta(days=5)),
        Post("wechat", "3", "c", text="上界上", published_at=T0),
        Post("douyin", "4", "y", text="窗内", published_at=T0 - timedelta(seconds=1)),
        Post("douyin", "5", "x", text="窗外", published_at=T0 - timedelta(days=30)),
    ])
    inside = list(backend.post_accounts(T0 - timedelta(days=5), T0))
    assert inside == [("douyin", "4"), ("weibo", "1")]  # sorted; weibo 1 once for its two posts
    assert list(backend.post_accounts(published_before=T0 - timedelta(days=4))) == [("bilibili", "2"),
                                                                                   ("douyin", "5")]
    assert list(backend.post_accounts(published_after=T0 - timedelta(seconds=1))) == [("wechat", "3")]
    assert len(list(backend.post_accounts())) == 5
