"""Backend.iter_posts streams stored posts in (platform, post id) order, inside published-time bounds."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.models import Post
from index.base import Backend

T0 = datetime(2026, 11, 1, 9, 0)


def test_posts_come_in_key_order_and_inside_the_bounds(backend: Backend) -> None:
    backend.upsert_posts([
        Post("weibo", "1", "b", text="新", published_at=T0),
        Post("weibo", "1", "a", text="旧", published_at=T0 - timedelta(days=20)),
        Post("bilibili", "2", "z", text="边界", published_at=T0 - timedelta(days=10)),
        Post("wechat", "3", "c", text="未来", published_at=T0 + timedelta(days=1)),
    ])
    every = backend.iter_posts()
    assert [(p.platform, p.post_id) for p in every] == [("bilibili", "z"), ("wechat", "c"), ("weibo", "a"),
                                                        ("weibo", "b")]
    recent = list(backend.iter_posts(T0 - timedelta(days=10), T0))  # after the lower bound, up to the upper
    assert [(p.post_id, p.text, p.published_at) for p in recent] == [("b", "新", T0)]
    assert [p.post_id for p in backend.iter_posts(published_after=T0 - timedelta(days=11))] == ["z", "c", "b"]


def test_newest_first_reads_by_published_time_descending_then_key(backend: Backend) -> None:
    backend.upsert_posts([
        Post("weibo", "1", "a", text="早", published_at=T0 - timedelta(days=2)),
        Post("bilibili", "2", "z", text="晚", published_at=T0),
        Post("weibo", "1", "b", text="同时", published_at=T0 - timedelta(days=1)),
        Post("douyin", "3", "y", text="同时", published_at=T0 - timedelta(days=1)),
        Post("wechat", "4", "c", text="窗外", published_at=T0 - timedelta(days=30)),
    ])
    newest = backend.iter_posts(T0 - timedelta(days=10), T0, newest_first=True)
    assert [p.post_id for p in newest] == ["z", "y", "b", "a"]  # equal times: platform, then post id
