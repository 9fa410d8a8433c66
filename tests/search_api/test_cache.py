"""Slow values from the store are rebuilt in the background: no request waits for a rebuild."""

from __future__ import annotations

import logging
import threading
from typing import Any

from search_api.cache import Refreshing, store_stamp


def test_a_stale_value_is_served_while_it_is_rebuilt() -> None:
    release = threading.Event()
    builds: list[int] = []

    def build(store: Any) -> int:
        if builds:  # the rebuild waits until the test has seen the old value served
            assert release.wait(30)
        builds.append(len(builds) + 1)
        return len(builds)

    cache: Refreshing[int] = Refreshing(build, max_age=-1.0)
    assert cache.get(None) == 1  # type: ignore[arg-type]
    assert cache.get(None) == 1  # type: ignore[arg-type]  # stale: a rebuild starts, the old value answers
    assert cache.get(None) == 1 and builds == [1]  # type: ignore[arg-type]  # one rebuild at a time
    release.set()
    _joined(cache.rebuild_thread)
    cache.max_age = 1e9  # fresh from now on: the next read starts no thread that outlives the test
    assert builds == [1, 2] and cache.get(None) == 2  # type: ignore[arg-type]


def _settle(cache: Refreshing[Any], store: Any) -> Any:
    """A stale get() (its answer), then the background rebuild it started, to its end."""
    answer = cache.get(store)
    _joined(cache.rebuild_thread)
    return answer


def test_a_value_whose_parts_did_not_change_is_not_rebuilt() -> None:
    """With a store that stamps its parts, a stale value is rebuilt only when the stamp of what it is built
    from moved; a store without stamps rebuilds every time, as before."""
    class Store:
        def __init__(self) -> None:
            self.version, self.asked = 1, []

        def stamp(self, *names: str) -> tuple[str, int]:
            self.asked.append(names)
            return ("registry", self.version)

    builds: list[int] = []

    def build(store: Any) -> int:
        builds.append(getattr(store, "version", 0))
        return len(builds)

    store = Store()
    cache: Refreshing[int] = Refreshing(build, max_age=-1.0, stamp=store_stamp("registry"))
    assert cache.get(store) == 1
    for _ in range(3):
        _settle(cache, store)
    assert builds == [1] and store.asked[0] == ("registry",) and len(store.asked) >= 2
    store.version = 2  # a registry import in another process
    _settle(cache, store)
    _settle(cache, store)
    cache.max_age = 1e9  # fresh from now on: the next read starts no thread that outlives the test
    assert builds == [1, 2] and cache.get(store) == 2
    plain: Refreshing[int] = Refreshing(build, max_age=-1.0, stamp=store_stamp("registry"))
    plain.get(object())  # type: ignore[arg-type]  # no stamp(): rebuilt on every stale read
    _settle(plain, object())  # type: ignore[arg-type]
    assert builds[2:] == [0, 0]


def test_a_failed_rebuild_keeps_the_old_value() -> None:
    calls = {"n": 0}

    def build(store: Any) -> str:
        calls["n"] += 1
        if calls["n"] > 1:
            raise RuntimeError("store gone")
        return "old"

    cache: Refreshing[str] = Refreshing(build, max_age=-1.0)
    assert cache.get(None) == "old"  # type: ignore[arg-type]
    assert _settle(cache, None) == "old" and calls["n"] == 2  # the rebuild failed
    assert _settle(cache, None) == "old" and calls["n"] == 3  # the next stale read tried again


def test_a_rebuild_that_ends_after_a_clear_does_not_bring_its_value_back() -> None:
    """reset() (tests, a config reload) clears the caches while a rebuild from the old store may be running:
    its value must not become the cleared cache's, the next read builds from the store it is given."""
    started, release = threading.Event(), threading.Event()

    def build(store: str) -> str:
        if store == "old store" and started.is_set():  # the rebuild: held until the cache is cleared
            assert release.wait(30)
        started.set()
        return f"from {store}"

    cache: Refreshing[str] = Refreshing(build, max_age=-1.0)  # type: ignore[arg-type]
    assert cache.get("old store") == "from old store"  # type: ignore[arg-type]
    assert cache.get("old store") == "from old store"  # type: ignore[arg-type]  # a rebuild starts
    cache.clear()
    release.set()
    _joined(cache.rebuild_thread)
    assert cache.get("new store") == "from new store"  # type: ignore[arg-type]


def test_the_new_stores_value_is_rebuilt_while_a_rebuild_begun_before_a_clear_still_runs() -> None:
    """The old store's rebuild (the matcher's takes tens of seconds) neither delays the new store's rebuilds
    nor, when it ends, lets a second one run beside the new store's."""
    gates = {"old": threading.Event(), "new": threading.Event()}
    builds: list[str] = []

    def build(store: str) -> str:
        if store in builds:  # a rebuild: held until the test opens its store's gate
            assert gates[store].wait(60)
        builds.append(store)
        return f"from {store}"

    cache: Refreshing[str] = Refreshing(build, max_age=-1.0)  # type: ignore[arg-type]
    cache.get("old"), cache.get("old")  # type: ignore[arg-type]  # the second starts the old store's rebuild
    old_rebuild = cache.rebuild_thread
    cache.clear()
    assert cache.get("new") == "from new"  # type: ignore[arg-type]  # built now, the old rebuild still held
    assert cache.get("new") == "from new"  # type: ignore[arg-type]  # stale: the new store's rebuild starts
    new_rebuild = cache.rebuild_thread
    assert new_rebuild is not old_rebuild, "the old store's rebuild kept the new store's from starting"
    gates["old"].set()
    _joined(old_rebuild)
    cache.get("new")  # type: ignore[arg-type]  # stale, but the new store's rebuild still runs: no second one
    assert cache.rebuild_thread is new_rebuild
    gates["new"].set()
    _joined(new_rebuild)
    cache.max_age = 1e9  # fresh from now on: the next read starts no thread that outlives the test
    assert cache.get("new") == "from new" and sorted(builds) == ["new", "new", "old", "old"]  # type: ignore[arg-type]


def test_a_rebuild_failing_on_a_store_cleared_meanwhile_is_no_error(caplog: Any) -> None:
    """reset() closes the old store under a running rebuild: that failure is expected, not logged as an error;
    a failure on the current store still is."""
    release = threading.Event()
    calls: list[str] = []

    def build(store: str) -> str:
        calls.append(store)
        if calls.count(store) > 1:  # a rebuild: the old store's held until it is cleared, then its store is gone
            assert release.wait(60)
            raise ConnectionError(f"{store} is closed")
        return f"from {store}"

    def said(at_least: int) -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "search_api.cache" and r.levelno >= at_least]

    caplog.set_level(logging.DEBUG, logger="search_api.cache")
    cache: Refreshing[str] = Refreshing(build, max_age=-1.0)  # type: ignore[arg-type]
    cache.get("old"), cache.get("old")  # type: ignore[arg-type]
    cache.clear()
    release.set()
    _joined(cache.rebuild_thread)
    assert said(logging.DEBUG) and not said(logging.WARNING)  # said, at debug level only
    cache.get("new"), cache.get("new")  # type: ignore[arg-type]  # a rebuild from the current store fails
    _joined(cache.rebuild_thread)
    assert any("rebuilding a cached value from the store failed" in m for m in said(logging.ERROR))


def _joined(thread: threading.Thread | None) -> None:
    assert thread is not None
    thread.join(60)
    assert not thread.is_alive()


class Unread:
    """A store that fails the test when anything of it is read: a cache built already answers without it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the store was read ({name})")


def test_the_app_warms_its_caches_at_start_up(filled: Any) -> None:
    """Lifespan start-up builds the registry index, names, sites and matcher before the first request needs them."""
    import pytest
    from fastapi.testclient import TestClient

    from search_api import directory, sites
    from search_api.app import app
    from search_api.routes import impersonation

    caches = (directory.REGISTRY, directory.NAMES, sites.SITES, impersonation._cache)
    for cache in caches:
        with pytest.raises(AssertionError, match="the store was read"):  # not built yet: it must read the store
            cache.get(Unread())  # type: ignore[arg-type]
    with TestClient(app, base_url="http://127.0.0.1"):  # no request is made: only the lifespan runs
        app.state.warm_up.join(120)
        assert not app.state.warm_up.is_alive()
        for cache in caches:
            assert cache.get(Unread()) is not None  # type: ignore[arg-type]  # built: the store is not read
    assert len(directory.REGISTRY.get(Unread()).entries) == 1  # type: ignore[arg-type]  # from the filled store


def test_warm_up_without_a_store_only_warns(api_env: Any, caplog: Any) -> None:
    from search_api.app import warm_up

    (api_env / "api.db").unlink()
    warm_up()
    assert "warm-up skipped" in caplog.text


def test_warm_up_loads_jieba_even_without_a_store(api_env: Any) -> None:
    """The first long query must not pay for jieba's dictionary (a second or more)."""
    from index import query
    from search_api.app import warm_up

    query._jieba.cache_clear()
    (api_env / "api.db").unlink()
    warm_up()
    assert query._jieba.cache_info().currsize == 1


def test_a_store_that_cannot_stamp_now_gets_its_value_rebuilt(caplog: Any) -> None:
    class Store:
        def stamp(self, *names: str) -> object:
            raise ConnectionError("cluster gone")

    builds: list[int] = []

    def build(store: Any) -> int:
        builds.append(len(builds) + 1)
        return len(builds)

    store = Store()
    cache: Refreshing[int] = Refreshing(build, max_age=-1.0, stamp=store_stamp("registry"))
    assert cache.get(store) == 1  # type: ignore[arg-type]
    _settle(cache, store)  # no stamp to compare: rebuilt, as a store without stamps would be
    assert builds == [1, 2] and cache.get(store) == 2  # type: ignore[arg-type]
    _joined(cache.rebuild_thread)
    assert builds == [1, 2, 3]
    assert caplog.text.count("could not stamp registry") == 1  # said once, not at every rebuild
