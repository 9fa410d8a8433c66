"""index/elastic/kept.py: values reused for `ttl` seconds, a full store emptied, a forgotten value read again."""

from __future__ import annotations

import pytest

from index.elastic import kept as K


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [100.0]
    monkeypatch.setattr(K.time, "monotonic", lambda: now[0])
    return now


def test_a_value_is_reused_until_it_is_ttl_seconds_old(clock: list[float]) -> None:
    kept: K.Kept[str, int] = K.Kept(ttl=30)
    kept.put("a", 1)
    clock[0] += 29.9
    assert kept.get("a") == 1 and kept.get("b") is None
    clock[0] += 0.1
    assert kept.get("a") is None


def test_many_at_once_and_a_full_store_is_emptied(clock: list[float]) -> None:
    kept: K.Kept[str, int] = K.Kept(ttl=30, most=3)
    kept.put_many({"a": 1, "b": 2})
    assert kept.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    kept.put_many({"c": 3, "d": 4})  # 4 > 3: the old values go, the new ones stay
    assert kept.get_many(["a", "b", "c", "d"]) == {"c": 3, "d": 4}


def test_a_forgotten_value_is_read_again(clock: list[float]) -> None:
    kept: K.Kept[str, frozenset[str]] = K.Kept(ttl=300)
    kept.put("posts", frozenset({"weibo"}))
    kept.forget("posts")
    kept.forget("never kept")
    assert kept.get("posts") is None
