"""crawler.gcpolicy: a crawl freezes the start-up objects once per process and collects young objects less
often; with GOVWATCH_GC_THRESHOLD = 0 nothing changes."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from pydispatch.dispatcher import getAllReceivers, liveReceivers
from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

import crawler.gcpolicy
from crawler.gcpolicy import GcPolicy


@pytest.fixture(autouse=True)
def python_defaults(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    before = gc.get_threshold()
    monkeypatch.setattr(crawler.gcpolicy, "_frozen", False)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def started(threshold: int) -> None:
    crawler = get_crawler(Spider, {"GOVWATCH_GC_THRESHOLD": threshold})
    policy = GcPolicy.from_crawler(crawler)
    receivers = liveReceivers(getAllReceivers(crawler.signals.sender, signals.engine_started))
    assert policy.engine_started in list(receivers)
    policy.engine_started()  # what the engine's start does through the signal


def test_the_first_crawl_freezes_what_exists_and_raises_the_young_threshold() -> None:
    gc.set_threshold(700, 10, 10)
    assert gc.get_freeze_count() == 0
    started(10_000)
    assert gc.get_threshold() == (10_000, 10, 10)
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the imported modules and everything they hold
    later = [[] for _ in range(1000)]  # the next crawl's start freezes nothing more (these stay collectable)
    started(10_000)
    # Frozen objects that die leave the count (another thread may free a few): it never grows by `later`.
    assert gc.get_freeze_count() <= frozen
    del later


def test_garbage_waiting_at_the_first_start_is_collected_not_frozen() -> None:
    class Cycle:
        pass

    gc.disable()  # no young pass may collect it before the start does
    try:
        cycle = Cycle()
        cycle.me = cycle  # type: ignore[attr-defined]
        gone = weakref.ref(cycle)
        del cycle
        started(10_000)
    finally:
        gc.enable()
    assert gone() is None


def test_zero_leaves_the_collector_alone() -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(NotConfigured):
        GcPolicy.from_crawler(get_crawler(Spider, {"GOVWATCH_GC_THRESHOLD": 0}))
    assert gc.get_threshold() == (700, 10, 10) and gc.get_freeze_count() == 0


# That the project's crawls run with it: tests/crawler/test_project_crawl.py.
