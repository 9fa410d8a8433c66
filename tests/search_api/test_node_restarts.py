"""The API warms Elasticsearch up again after a node restart (search_api/node_restarts.py).

Fake nodes whose start time the test changes; the warm-up threads are joined, never waited on by time.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.sqlite import SqliteBackend
from search_api import directory
from search_api.node_restarts import WATCH, NodeWatch, checking_nodes
from tests.es_node import es_store, run_folder, run_script, start_node, stopped_on_sigterm


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


@pytest.fixture
def own_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(URL, home) of a node of this test's own, to restart: the suite's shared node is never restarted. In the
    run's folder, where the next session's stop_stale_nodes finds it if this one is killed."""
    home = run_folder(tmp_path_factory) / f"es-node-restarted-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    try:
        with stopped_on_sigterm(home):
            yield start_node(home), home
    finally:
        run_script(home, "stop", timeout=60)


@pytest.mark.es
def test_a_real_restart_is_noticed_once(own_node: tuple[str, Path], tmp_path: Path) -> None:
    from index.elastic import test_backend

    url, home = own_node
    store = test_backend(url, tmp_path)  # nothing is stored: only the nodes' start times are read
    try:
        warms, watch = Warms(), NodeWatch()
        watch.start(store, warms)
        assert not watch.check(store)
        stopped = run_script(home, "stop", timeout=60)
        assert "stopped pid" in stopped.stdout, stopped.stderr
        assert not watch.check(store)  # a look while the node is down: nothing yet
        assert start_node(home) == url  # same data path, same URL
        assert watch.check(store)
        _joined(watch)
        assert warms.calls == 2
        assert not watch.check(store)
    finally:
        store.close()
