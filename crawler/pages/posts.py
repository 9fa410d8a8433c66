"""Post facts several platforms write alike: the pinned (置顶) markers."""

from __future__ import annotations

from typing import Any

PINNED_BADGE = "置顶"  # the badge text Weibo titles and Bilibili module tags show on a pinned post


def is_pinned(mblog: dict[str, Any]) -> bool:
    """A pinned Weibo-style post (mblog): isTop, mblogtype 2, or the 置顶 title badge."""
    title = mblog.get("title")
    return (
        bool(mblog.get("isTop"))
        or mblog.get("mblogtype") == 2
        or (isinstance(title, dict) and title.get("text") == PINNED_BADGE)
    )
