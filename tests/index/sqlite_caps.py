"""What tests/index/test_sqlite_counts.py and test_sqlite_platforms.py share: posts of one account
published a minute apart, and search caps small enough for a few dozen posts to pass them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.models import Post
from index import sqlite_listing, sqlite_newest, sqlite_query, sqlite_request

T0 = datetime(2026, 11, 1, 9, 0)


def posts(n: int, platform: str, start: int = 0, text: str = "医保 防火") -> list[Post]:
    return [Post(platform, "1", f"{platform}{i}", text=text, published_at=T0 + timedelta(minutes=i))
            for i in range(start, start + n)]


def small_caps(monkeypatch: pytest.MonkeyPatch, total_cap: int, facet_cap: int | None = None) -> None:
    """3 ranked candidates, `total_cap` counted matches, and (when given) `facet_cap` per platform."""
    monkeypatch.setattr(sqlite_query, "CANDIDATES", 3)
    for module in (sqlite_request, sqlite_listing, sqlite_newest):
        monkeypatch.setattr(module, "TOTAL_CAP", total_cap)
    monkeypatch.setattr(sqlite_newest, "EXPECTED", total_cap)
    if facet_cap is not None:
        for module in (sqlite_request, sqlite_newest):
            monkeypatch.setattr(module, "FACET_CAP", facet_cap)
