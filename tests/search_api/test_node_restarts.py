"""The API warms Elasticsearch up again after a node restart (search_api/node_restarts.py).

Fake nodes whose start time the test changes; the warm-up threads are joined, never waited on by time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.sqlite import SqliteBackend
from search_api import directory
from search_api.node_restarts import WATCH, NodeWatch, checking_nodes
from tests.es_node import es_store


class Node:
    """A store whose cluster is one node; `restart()` gives it a new JVM start time."""

    def __init__(self) -> None:
        self.started = 1_796_288_608_846
        self.reads = 0
        self.down = False

    def node_starts(self) -> frozenset[tuple[str, int]]:
        self.reads += 1
        if self.down:
            raise ConnectionError("node down")
        return frozenset({("0nt3lOUvQ9Sl_mZh8PcOYA", self.started)})

    def restart(self) -> None:
        self.started += 61_000

    def wait_searchable(self) -> None:  # a restarted node's shards start after it answers
        self.waited = getattr(self, "waited", 0) + 1

    def iter_registry(self) -> Iterator[Any]:  # what the registry cache builds from
        return iter(())


class Warms:
    """A warm-up that records its calls, and how many ran at once."""

    def __init__(self, hold_call: int | None = None) -> None:
        self.calls = 0
        self.running = self.most = 0
        self.lock = threading.Lock()
        self.hold_call = hold_call  # this call waits for `release`, after setting `entered`
        self.entered, self.release = threading.Event(), threading.Event()

    def __call__(self, store: Any) -> int:
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
            call = self.calls
        if call == self.hold_call:
            self.entered.set()
            assert self.release.wait(60), "the test never released the warm-up"
        with self.lock:
            self.running -= 1
        return 7


def _joined(watch: NodeWatch) -> None:
    assert watch.thread is not None
    watch.thread.join(60)
    assert not watch.thread.is_alive()


def test_one_warm_up_per_restart_and_none_without_one(caplog: pytest.LogCaptureFixture) -> None:
    node, warms, watch = Node(), Warms(), NodeWatch()
    watch.start(node, warms)  # type: ignore[arg-type]
    assert warms.calls == 1  # the start-up warm-up, in the caller's thread
    assert not watch.check(node) and not watch.check(node)  # type: ignore[arg-type]
    assert watch.thread is None and warms.calls == 1
    caplog.set_level(logging.INFO, logger="search_api.node_restarts")
    node.restart()
    assert watch.check(node)  # type: ignore[arg-type]
    _joined(watch)
    assert warms.calls == 2
    first = watch.thread
    assert not watch.check(node) and not watch.check(node)  # type: ignore[arg-type]  # the same node still
    assert watch.thread is first and warms.calls == 2
    node.restart()
    assert watch.check(node)  # type: ignore[arg-type]
    _joined(watch)
    assert warms.calls == 3 and watch.thread is not first
    lines = [r.getMessage() for r in caplog.records]
    assert len([m for m in lines if m.startswith("Elasticsearch node restarted (0nt3lOUvQ9Sl_mZh8PcOYA started")]) == 2
    ended = [m for m in lines if m.startswith("warm-up after")]
    assert len(ended) == 2 and all(m.startswith("warm-up after the node's restart: 7 searches in ") for m in ended)


def test_restarts_noticed_during_a_warm_up_make_it_run_once_more_never_two_at_once() -> None:
    node, warms, watch = Node(), Warms(hold_call=2), NodeWatch()
    watch.start(node, warms)  # type: ignore[arg-type]
    node.restart()
    assert watch.check(node)  # type: ignore[arg-type]
    assert warms.entered.wait(60)  # the warm-up after the first restart is running, held
    running = watch.thread
    for _ in range(2):  # two more restarts while it runs: no second thread
        node.restart()
        assert watch.check(node)  # type: ignore[arg-type]
        assert watch.thread is running
    warms.release.set()
    _joined(watch)
    assert warms.calls == 3  # start-up, the first restart, then once more for the two noticed meanwhile
    assert warms.most == 1


def test_nothing_is_read_before_the_start_up_arms_the_watch_nor_after_a_reset() -> None:
    node, watch = Node(), NodeWatch()
    assert not watch.check(node)  # type: ignore[arg-type]
    assert node.reads == 0
    watch.start(node, Warms())  # type: ignore[arg-type]
    watch.clear()
    node.restart()
    assert not watch.check(node)  # type: ignore[arg-type]
    assert node.reads == 1 and watch.thread is None  # the start-up's read only


def test_a_node_down_at_a_look_is_warmed_when_it_is_back_with_a_new_start(caplog: pytest.LogCaptureFixture) -> None:
    node, warms, watch = Node(), Warms(), NodeWatch()
    watch.start(node, warms)  # type: ignore[arg-type]
    node.down = True
    assert not watch.check(node) and not watch.check(node)  # type: ignore[arg-type]
    assert len([r for r in caplog.records if "start times" in r.getMessage()]) == 1  # warned once
    node.down = False
    assert not watch.check(node)  # type: ignore[arg-type]  # back, but not restarted (a network blip)
    node.down = True
    node.restart()
    assert not watch.check(node)  # type: ignore[arg-type]
    node.down = False
    assert watch.check(node)  # type: ignore[arg-type]
    _joined(watch)
    assert warms.calls == 2


def test_a_node_unread_at_start_up_is_warmed_at_the_first_look_that_reads_it() -> None:
    node, warms, watch = Node(), Warms(), NodeWatch()
    node.down = True
    watch.start(node, warms)  # type: ignore[arg-type]  # the start-up warm-up runs anyway (and fails alone)
    node.down = False
    assert watch.check(node)  # type: ignore[arg-type]
    _joined(watch)
    assert warms.calls == 2
    assert not watch.check(node)  # type: ignore[arg-type]


def test_a_sqlite_store_is_never_checked(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "s.db")
    store.setup()
    warms, watch = Warms(), NodeWatch()
    watch.start(store, warms)
    assert not watch.check(store)
    assert watch.thread is None and warms.calls == 1  # the start-up's (warm_searches runs none on SQLite)
    store.close()


def test_the_registry_caches_periodic_look_is_what_checks_the_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    node, warms = Node(), Warms()
    monkeypatch.setattr(directory.REGISTRY, "max_age", -1.0)  # every read finds the value stale
    directory.REGISTRY.clear()
    try:
        WATCH.start(node, warms)  # type: ignore[arg-type]
        directory.REGISTRY.get(node)  # type: ignore[arg-type]  # built (the look at the nodes: unchanged)
        node.restart()
        directory.REGISTRY.get(node)  # type: ignore[arg-type]  # stale: a rebuild in the background looks again
        assert directory.REGISTRY.rebuild_thread is not None
        directory.REGISTRY.rebuild_thread.join(60)
        _joined(WATCH)
        assert warms.calls == 2
    finally:
        WATCH.clear()
        directory.REGISTRY.clear()


def test_after_a_restart_the_warm_up_waits_for_the_shards_first(caplog: pytest.LogCaptureFixture) -> None:
    """A restarted node answers before its shards start; searches then fail and the warm-up would run none
    (review r13b R13b-1). The start-up warm-up does not wait: the API's first requests would wait with it."""
    node, watch = Node(), NodeWatch()
    order: list[str] = []

    def warm(store: Any) -> int:
        order.append(f"warm after {getattr(store, 'waited', 0)} wait(s)")
        return 7

    watch.start(node, warm)  # type: ignore[arg-type]
    node.restart()
    assert watch.check(node)  # type: ignore[arg-type]
    _joined(watch)
    assert order == ["warm after 0 wait(s)", "warm after 1 wait(s)"]


def test_a_user_without_the_monitor_privilege_is_asked_once(caplog: pytest.LogCaptureFixture) -> None:
    """A 403 on node info is for good: no request (and no client warning) at every look (review r13b R13b-3)."""

    class Denied(Exception):
        status_code = 403

    node, warms, watch = Node(), Warms(), NodeWatch()

    def refuse() -> frozenset[tuple[str, int]]:
        node.reads += 1
        raise Denied("action [cluster:monitor/nodes/info] is unauthorized")

    node.node_starts = refuse  # type: ignore[method-assign]
    watch.start(node, warms)  # type: ignore[arg-type]
    assert not watch.check(node) and not watch.check(node)  # type: ignore[arg-type]
    assert node.reads == 1 and warms.calls == 1
    assert len([r for r in caplog.records if "monitor privilege" in r.getMessage()]) == 1


def test_a_store_started_while_the_old_ones_warm_up_runs_is_warmed_after_it() -> None:
    """clear() then start(B) while a warm-up of A runs: B's start-up warm-up runs when A's ends, with B's warm-up
    function, on B (review r13b R13b-5b: before, A's thread ran A again and B was never warmed)."""
    a, b, watch = Node(), Node(), NodeWatch()
    on_a, on_b = Warms(hold_call=2), Warms()
    watch.start(a, on_a)  # type: ignore[arg-type]
    a.restart()
    assert watch.check(a)  # type: ignore[arg-type]
    assert on_a.entered.wait(60)
    watch.clear()
    watch.start(b, on_b)  # type: ignore[arg-type]  # returns at once: the running thread takes it
    on_a.release.set()
    _joined(watch)
    assert (on_a.calls, on_b.calls) == (2, 1) and on_b.most == 1


def test_the_stamp_is_passed_through() -> None:
    watch = NodeWatch()
    assert checking_nodes(lambda store: ("stamp", store), watch)(Node())[0] == "stamp"  # type: ignore[arg-type]


@pytest.mark.es
def test_the_real_nodes_start_times_are_read_and_unchanged_means_no_warm_up(es_url: str, tmp_path: Path) -> None:
    """On the suite's shared node (never restarted here: other tests use it)."""
    import time

    with es_store(es_url, tmp_path) as store:
        starts = store.node_starts()
        assert len(starts) == 1
        (node, started), = starts
        assert node and 1_600_000_000_000 < started <= time.time() * 1000
        warms, watch = Warms(), NodeWatch()
        watch.start(store, warms)
        assert not watch.check(store) and watch.thread is None and warms.calls == 1
        store.wait_searchable("1s")  # the call a restart's warm-up makes first: the shared node is searchable
        assert store.client.cluster.health()["status"] in ("green", "yellow")
