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


def test_a_lookup_begun_before_a_write_is_used_but_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    from types import SimpleNamespace

    from core.models import Account
    from index.elastic import lookups

    lookups.forget_accounts()
    stored = {"name": "old"}
    reading, answered = threading.Event(), threading.Event()
    reads: list[str] = []

    def slow_read(backend: object, keys: list[str]) -> dict[str, tuple[Account | None, list[str]]]:
        found = {k: (Account("weibo", "1", stored["name"]), []) for k in keys}  # what the cluster answered
        reads.append(stored["name"])
        reading.set()
        answered.wait(60)  # …on its way back while this process writes
        return found

    monkeypatch.setattr(lookups, "_read", slow_read)
    backend = SimpleNamespace(index=lambda name: f"t-{name}")
    first = threading.Thread(target=lookups.accounts_and_kinds, args=(backend, [("weibo", "1")]))
    first.start()
    assert reading.wait(60)
    stored["name"] = "new"  # ElasticsearchBackend._write of the account, then its forget
    lookups.forget_accounts()
    answered.set()
    first.join(60)
    assert not first.is_alive()  # else its lookup could land after the one below
    accounts, _ = lookups.accounts_and_kinds(backend, [("weibo", "1")])
    assert accounts[("weibo", "1")].name == "new" and reads == ["old", "new"]
    accounts, _ = lookups.accounts_and_kinds(backend, [("weibo", "1")])
    assert reads == ["old", "new"]  # a lookup with no write during it is kept
    lookups.forget_accounts()


def test_a_read_begun_before_a_clear_is_not_kept(clock: list[float]) -> None:
    kept: K.Kept[str, int] = K.Kept(ttl=30)
    began = kept.generation
    kept.clear()  # a write while the read was on its way
    kept.put_many({"a": 1}, since=began)
    assert kept.get("a") is None
    began = kept.generation
    kept.put_many({"a": 2}, since=began)
    kept.put_many({"b": 3})  # no generation given: kept
    assert kept.get_many(["a", "b"]) == {"a": 2, "b": 3}
